package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@link io.authsuite.http.MalformedRequests} with the RFC 9457 problem body of every other error here. */
@ApplicationScoped
public class MalformedRequests {

    void install(@Observes Router router, ObjectMapper json) {
        io.authsuite.http.MalformedRequests.install(router, (rc, detail) -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem(json, rc.response().getStatusCode(), detail)));
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
