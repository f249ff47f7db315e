package io.authsuite.auth.authorize;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated authorization request (RFC 6749 §4.1.1 with PKCE and OIDC), kept while the person signs in.
 *
 * @param prompt OIDC {@code prompt} (§3.1.2.1), a space-delimited list: empty, {@code none} alone, or any of
 *        {@code login}, {@code select_account} and {@code consent}; read it with {@link #prompts(String)}
 * @param authenticatedSince epoch second the person must have authenticated at or after, from {@code login} or
 *        {@code select_account} in {@code prompt} (the request's time) or {@code max_age} (that long before it); 0 when any session will do
 * @param dpopJkt the thumbprint of the DPoP key the code is bound to ({@code dpop_jkt}, RFC 9449 §10), or null
 * @param hintSubject the person a valid {@code id_token_hint} names (OIDC Core §3.1.2.1): only their session or
 *        sign-in may finish the request; null without a hint
 */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record AuthorizationRequest(String clientId, String redirectUri, Set<String> scopes, String state,
                                   String codeChallenge, String nonce, String prompt, long maxAge,
                                   long authenticatedSince, String dpopJkt, String hintSubject) {

    /** Whether the {@code prompt} list holds {@code value} (values are case sensitive, OIDC Core §3.1.2.1). */
    public boolean prompts(String value) {
        return prompt != null && !prompt.isEmpty() && Arrays.asList(prompt.split(" ")).contains(value);
    }

    /** The same request with {@code values} taken out of its {@code prompt} list, the others kept in order. */
    public AuthorizationRequest withoutPrompts(Set<String> values) {
        String kept = prompt == null || prompt.isEmpty() ? ""
                : Arrays.stream(prompt.split(" ")).filter(v -> !values.contains(v)).collect(Collectors.joining(" "));
        return withPrompt(kept);
    }

    public AuthorizationRequest withPrompt(String newPrompt) {
        return new AuthorizationRequest(clientId, redirectUri, scopes, state, codeChallenge, nonce, newPrompt, maxAge,
                authenticatedSince, dpopJkt, hintSubject);
    }
}
