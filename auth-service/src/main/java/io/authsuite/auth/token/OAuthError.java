package io.authsuite.auth.token;

import java.util.Map;

/**
 * An OAuth error response (RFC 6749 §5.2): thrown anywhere in request handling, rendered by the web layer as
 * {@code {"error","error_description"}} with {@code Cache-Control: no-store}.
 */
public class OAuthError extends RuntimeException {

    private final String error;
    private final int status;
    private final transient Map<String, String> headers;

    public OAuthError(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, Map.of());
    }

    public static OAuthError invalidClient(String description) {
        // RFC 6749 §5.2: 401 with a WWW-Authenticate challenge matching the scheme the client may use.
        return new OAuthError(401, "invalid_client", description,
                Map.of("WWW-Authenticate", "Basic realm=\"authsuite\", charset=\"UTF-8\""));
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description, Map.of());
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError(400, "unauthorized_client", description, Map.of());
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description, Map.of());
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description, Map.of());
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
