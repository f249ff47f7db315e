package io.authsuite.resourceserver.security;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data about auth-service. Its outage degrades this service (no new JWKS keys, no new service tokens)
 * without stopping it: cached keys and tokens keep requests with valid tokens working. So the check stays UP and
 * says what is degraded, rather than taking every replica out of the load balancer at once.
 *
 * <p>The check never waits for auth-service: it reports the last probe and starts the next one in the background
 * (at most one at a time, every 5 s). A slow auth-service would otherwise hold each readiness call for up to its
 * timeout, past the kubelet's probe timeout.
 *
 * <p>The probe uses the application's Vert.x rather than the JDK's HttpClient: building a JDK client initialises the
 * default TLS context (the whole CA store) on the first readiness call, which held the first ready answer of a native
 * executable back by tens of milliseconds, even for an http:// JWKS URL.
 */
@Readiness
@ApplicationScoped
public class AuthServerHealth implements HealthCheck {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final String jwksUrl;
    private final Vertx vertx;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile HttpClient http;
    private volatile Instant startedAt = Instant.EPOCH;
    private volatile Boolean reachable;

    public AuthServerHealth(@ConfigProperty(name = "mp.jwt.verify.publickey.location") String jwksUrl, Vertx vertx) {
        this.jwksUrl = jwksUrl;
        this.vertx = vertx;
    }

    @Override
    public HealthCheckResponse call() {
        boolean remote = jwksUrl.startsWith("http");
        if (remote && Duration.between(startedAt, Instant.now()).compareTo(INTERVAL) >= 0
                && probing.compareAndSet(false, true)) {
            startedAt = Instant.now();
            probe();
        }
        Boolean known = reachable;
        String jwks = !remote ? "local file"
                : known == null ? "checking"
                : known ? "reachable" : "unreachable: serving with cached keys and tokens";
        return HealthCheckResponse.named("auth-service").up().withData("jwks", jwks).build();
    }

    private void probe() {
        try {
            client().request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(jwksUrl)
                            .setIdleTimeout(1000))
                    .compose(request -> request.send())
                    .compose(response -> response.end().map(response))
                    .onComplete(result -> done(result.succeeded() && result.result().statusCode() == 200));
        } catch (RuntimeException e) {
            done(false);
        }
    }

    private void done(boolean ok) {
        reachable = ok;
        probing.set(false);
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500).setMaxPoolSize(1));
            http = client;
        }
        return client;
    }
}
