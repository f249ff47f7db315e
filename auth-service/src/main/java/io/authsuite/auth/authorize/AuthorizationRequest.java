package io.authsuite.auth.authorize;

import java.util.Set;

/**
 * A validated authorization request (RFC 6749 §4.1.1 with PKCE and OIDC), kept while the person signs in.
 *
 * @param prompt OIDC {@code prompt}: empty, {@code none}, {@code login} or {@code consent}
 */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record AuthorizationRequest(String clientId, String redirectUri, Set<String> scopes, String state,
                                   String codeChallenge, String nonce, String prompt, long maxAge) {
}
