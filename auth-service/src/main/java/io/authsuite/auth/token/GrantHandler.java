package io.authsuite.auth.token;

import io.authsuite.auth.clients.RegisteredClient;

/**
 * One grant type (RFC 6749 §4). The token endpoint authenticates the client and checks it may use the grant;
 * the handler validates the grant's own parameters and issues the tokens.
 */
public interface GrantHandler {

    /** The {@code grant_type} value this handler serves. */
    String grantType();

    TokenResponse handle(FormParameters request, RegisteredClient client);
}
