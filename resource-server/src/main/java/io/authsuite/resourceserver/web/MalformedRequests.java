package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.resourceserver.security.BearerChallenges;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link io.authsuite.http.MalformedRequests} with the RFC 9457 problem body of every other error here. */
@ApplicationScoped
public class MalformedRequests {

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "api")
    String realm;

    void install(@Observes Router router, ObjectMapper json) {
        io.authsuite.http.MalformedRequests.install(router, (rc, detail) -> {
            if (io.authsuite.http.MalformedRequests.refusedForCredentials(detail)) {
                // RFC 6750 §3: the challenge names the error of a request refused for its credentials.
                rc.response().putHeader("WWW-Authenticate", BearerChallenges.challenge(realm,
                        rc.request().headers().get(HttpHeaders.AUTHORIZATION), "invalid_request", detail, null));
            }
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(problem(json, rc.response().getStatusCode(), detail));
        });
    }

    private static String problem(ObjectMapper json, int status, String detail) {
        try {
            return json.writeValueAsString(Problem.of(status, HttpResponseStatus.valueOf(status).reasonPhrase(), detail)
                    .withError("invalid_request"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
