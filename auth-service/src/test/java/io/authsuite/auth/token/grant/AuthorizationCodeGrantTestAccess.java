package io.authsuite.auth.token.grant;

/** Opens the package-private PKCE check to tests in another package. */
public final class AuthorizationCodeGrantTestAccess {
    private AuthorizationCodeGrantTestAccess() {
    }

    public static void checkPkce(String challenge, String verifier) {
        AuthorizationCodeGrant.checkPkce(challenge, verifier);
    }
}
