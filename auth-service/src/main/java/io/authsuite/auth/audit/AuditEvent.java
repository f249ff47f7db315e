package io.authsuite.auth.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * One security event (issue 15): what happened, to whom, through which client, from where, and why it failed. It never
 * holds a token, a secret or a password: only identifiers (subjects, client ids, key ids, token ids).
 *
 * @param id        the Redis stream entry id, set once stored (the page cursor of {@code GET /admin/events})
 * @param time      ISO-8601 instant
 * @param outcome   {@code success}, {@code failure} or {@code throttled}
 * @param subject   the person (or, for client credentials, the client) the event is about; for an admin change, the
 *                  admin who made it
 * @param address   the caller's address as the trusted-proxy settings resolve it
 * @param requestId the request's {@code X-Request-Id}, or one made up for it
 * @param traceId   the W3C trace id when the request is traced
 * @param details   further identifiers: grant type, scopes, target user or client, key id, family id
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        @JsonProperty("id") String id,
        @JsonProperty("time") String time,
        @JsonProperty("type") String type,
        @JsonProperty("outcome") String outcome,
        @JsonProperty("subject") String subject,
        @JsonProperty("client") String client,
        @JsonProperty("address") String address,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("trace_id") String traceId,
        @JsonProperty("reason") String reason,
        @JsonProperty("details") Map<String, String> details) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String THROTTLED = "throttled";

    AuditEvent withId(String streamId) {
        return new AuditEvent(streamId, time, type, outcome, subject, client, address, requestId, traceId, reason,
                details);
    }
}
