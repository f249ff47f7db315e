package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem body, the error shape of every resource-service endpoint.
 *
 * @param error    machine-readable code (for auth failures the RFC 6750 error code)
 * @param code     a finer machine-readable reason where clients act on it ({@code TOKEN_EXPIRED}: refresh)
 * @param errors   per-field details, for validation failures
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Returned inside a Response by exception mappers, so Quarkus cannot see it as a body type (native: {} otherwise).
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, String error, String code,
                      List<FieldError> errors, Map<String, Object> details) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: {@code field} is a JSON pointer-like path such as {@code lines[0].quantity}. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }

    public static Problem of(Response.Status status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, null, null, null, null);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null, null);
    }

    public Problem withError(String code) {
        return new Problem(type, title, status, detail, code, this.code, errors, details);
    }

    public Problem withCode(String reason) {
        return new Problem(type, title, status, detail, error, reason, errors, details);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, error, code, fieldErrors, details);
    }

    public Problem withDetails(Map<String, Object> extra) {
        return new Problem(type, title, status, detail, error, code, errors, extra);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    public static Problem badRequest(String field, String message) {
        return of(Response.Status.BAD_REQUEST, message).withError("invalid_request")
                .withErrors(List.of(new FieldError(field, message)));
    }
}
