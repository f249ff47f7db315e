package io.authsuite.resourceserver.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * timeout, past the kubelet's probe timeout, and the first call after start would pay for the HTTP client.
 */
@Readiness
@ApplicationScoped
public class AuthServerHealth implements HealthCheck {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final String jwksUrl;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile HttpClient http;
    private volatile Instant startedAt = Instant.EPOCH;
    private volatile Boolean reachable;

    public AuthServerHealth(@ConfigProperty(name = "mp.jwt.verify.publickey.location") String jwksUrl) {
        this.jwksUrl = jwksUrl;
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
            client().sendAsync(HttpRequest.newBuilder(URI.create(jwksUrl)).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> done(failure == null && response.statusCode() == 200));
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
            client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            http = client;
        }
        return client;
    }
}
