package io.authsuite.auth.authorize;

import java.util.Set;

/**
 * A validated authorization request (RFC 6749 §4.1.1 with PKCE and OIDC), kept while the person signs in.
 *
 * @param prompt OIDC {@code prompt}: empty, {@code none}, {@code login} or {@code consent}
 * @param authenticatedSince epoch second the person must have authenticated at or after, from {@code prompt=login}
 *        (the request's time) or {@code max_age} (that long before it); 0 when any session will do
 * @param dpopJkt the thumbprint of the DPoP key the code is bound to ({@code dpop_jkt}, RFC 9449 §10), or null
 */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record AuthorizationRequest(String clientId, String redirectUri, Set<String> scopes, String state,
                                   String codeChallenge, String nonce, String prompt, long maxAge,
                                   long authenticatedSince, String dpopJkt) {

    public AuthorizationRequest withPrompt(String newPrompt) {
        return new AuthorizationRequest(clientId, redirectUri, scopes, state, codeChallenge, nonce, newPrompt, maxAge,
                authenticatedSince, dpopJkt);
    }
}
