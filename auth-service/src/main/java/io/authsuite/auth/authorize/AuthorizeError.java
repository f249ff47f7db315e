package io.authsuite.auth.authorize;

/**
 * An error in an authorization request. With a validated redirect URI it goes back to the client
 * (RFC 6749 §4.1.2.1); without one it is shown to the person on an error page, never redirected.
 */
public class AuthorizeError extends RuntimeException {

    private final String error;
    private final transient AuthorizationRequest request;
    private final int status;

    private AuthorizeError(String error, String description, AuthorizationRequest request, int status) {
        super(description, null, false, false);
        this.error = error;
        this.request = request;
        this.status = status;
    }

    /** An error shown on a page: the redirect URI is missing, unknown or not yet validated. */
    public static AuthorizeError page(String description) {
        return new AuthorizeError("invalid_request", description, null, 400);
    }

    /** An error shown on a page, with an error code other than invalid_request. */
    public static AuthorizeError page(String error, String description) {
        return new AuthorizeError(error, description, null, 400);
    }

    public static AuthorizeError page(int status, String description) {
        return new AuthorizeError("invalid_request", description, null, status);
    }

    /** An error returned to the client at its validated redirect URI. */
    public static AuthorizeError redirect(String error, String description, AuthorizationRequest request) {
        return new AuthorizeError(error, description, request, 303);
    }

    public String error() {
        return error;
    }

    public AuthorizationRequest request() {
        return request;
    }

    public int status() {
        return status;
    }
}
