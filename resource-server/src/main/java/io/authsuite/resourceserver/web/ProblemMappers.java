package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.authsuite.redis.RedisFailures;
import jakarta.ws.rs.WebApplicationException;
import io.authsuite.http.AllowedMethods;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure that reaches JAX-RS into an RFC 9457 problem: malformed input is a 400 that names the field,
 * framework errors keep their status, anything unexpected is a 500 without a stack trace in the body.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = e.problem().toResponse();
        if (e.retryAfter() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, e.retryAfter());
        }
        return builder.build();
    }

    /** Overrides Quarkus' own mapper for this type, whose body is not a problem. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping.getPath());
            String message = e instanceof InvalidFormatException || e instanceof MismatchedInputException
                    ? "has the wrong type or format" : "is invalid";
            return Problem.badRequest(field, field + " " + message).toResponse().build();
        }
        return Problem.badRequest("body", "the body is not valid JSON").toResponse().build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        Response.ResponseBuilder builder = Problem.of(status, title, status >= 500 ? title : e.getMessage()).toResponse();
        if (original != null) {
            // Keep the headers that tell the client how to retry: Allow on 405, Retry-After on 503.
            for (String name : List.of(HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER)) {
                Object value = original.getHeaders().getFirst(name);
                if (value != null) {
                    builder.header(name, value);
                }
            }
        }
        if (status == 405 && (original == null || original.getHeaders().getFirst(HttpHeaders.ALLOW) == null)) {
            // RFC 9110 §15.5.6: a 405 MUST list the methods the resource does support.
            AllowedMethods.ofCurrentRequest().ifPresent(allow -> builder.header(HttpHeaders.ALLOW, allow));
        }
        return builder.build();
    }

    /** Exception, not RuntimeException: a Uni fails with Redis' ConnectException itself, unwrapped. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        // Throwable: the reactive Redis and REST clients can fail with Vert.x' NoStackTraceThrowable.
        if (RedisFailures.isUnavailable(e)) {
            // Redis down or failing over passes: RFC 9110 §15.6.4, 503 with Retry-After, never a 500.
            LOG.warnf("Redis unavailable: %s", RedisFailures.describe(e));
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "storage temporarily unavailable, retry shortly")
                    .withError("storage_unavailable").toResponse().header(HttpHeaders.RETRY_AFTER, "1").build();
        }
        LOG.error("unhandled error", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Internal error").toResponse().build();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        return refs.stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
