package io.authsuite.auth.clients;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates the client of a token-endpoint request (RFC 6749 §2.3): {@code client_secret_basic},
 * {@code client_secret_post}, {@code private_key_jwt} ({@link ClientAssertions}), or {@code none} for public clients. Every failure is the same
 * {@code invalid_client}, so a caller cannot tell an unknown client from a wrong secret.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /** Compiled once: String.split with a regex compiles it on every call, once per token request here. */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    /** An auth-scheme (RFC 9110 §11.1) of the length the registered ones have. */
    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,15}");

    /** Compared against when the client is unknown, so both paths cost one hash. */
    private static final String NO_CLIENT_HASH = ClientSecrets.hash("no-such-client");

    private final ClientRegistry registry;
    private final ClientThrottle throttle;
    private final ClientAssertions assertions;
    private final AuditLog audit;
    private final Duration redisTimeout;

    public ClientAuthenticator(ClientRegistry registry, ClientThrottle throttle, ClientAssertions assertions,
                               @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s")
                               Duration redisTimeout, AuditLog audit) {
        this.audit = audit;
        this.registry = registry;
        this.throttle = throttle;
        this.assertions = assertions;
        this.redisTimeout = redisTimeout;
    }

    /**
     * {@link #authenticateAsync} for the endpoints that run on a worker (revocation, introspection, device
     * authorization), waiting at most as long as a blocking Redis call would.
     */
    public RegisteredClient authenticate(String authorization, FormParameters form, String address) {
        return authenticateAsync(authorization, form, address).await().atMost(redisTimeout);
    }

    /**
     * Authenticates the client of a request from {@code address}. Failures are counted per caller (client id and
     * address) and per address; see {@link ClientThrottle}. A secret is checked on the calling thread (one SHA-256)
     * and the throttle is settled without blocking, so the token endpoint calls this on the event loop; an assertion,
     * which may wait for Redis (replay) and for the client's keys, is checked on a worker.
     */
    public Uni<RegisteredClient> authenticateAsync(String authorization, FormParameters form, String address) {
        String claimedId = claimedId(authorization, form);
        boolean assertion = form.get("client_assertion").isPresent() || form.get("client_assertion_type").isPresent();
        Uni<RegisteredClient> verified = assertion
                ? VertxContextSupport.executeBlocking(() -> authenticate(authorization, form))
                : Uni.createFrom().item(() -> authenticate(authorization, form));
        return verified
                .onFailure(e -> e instanceof OAuthError o && "invalid_client".equals(o.error()))
                // A request that names no client guesses nothing: only the address' limit applies to it. A refusal
                // by the throttle (429) replaces the failure.
                .recoverWithUni(e -> {
                    audit.failure(AuditTypes.CLIENT_AUTHENTICATION, null, claimedId, e.getMessage(), null);
                    return throttle.settle(claimedId, address, claimedId == null)
                            .chain(() -> Uni.createFrom().failure(e));
                })
                // Only a secret can be guessed: a public client (client_id alone) costs no round trip to the throttle.
                .call(client -> client.hasSecret()
                        ? throttle.settle(claimedId, address, true) : Uni.createFrom().voidItem());
    }

    private static String claimedId(String authorization, FormParameters form) {
        try {
            return basicCredentials(authorization).map(c -> c[0]).or(() -> form.get("client_id")).orElse(null);
        } catch (OAuthError e) {
            return form.get("client_id").orElse(null);
        }
    }

    RegisteredClient authenticate(String authorization, FormParameters form) {
        Optional<String[]> basic = basicCredentials(authorization);
        Optional<String> postedSecret = form.get("client_secret");
        Optional<String> postedId = form.get("client_id");

        Optional<String> assertionType = form.get("client_assertion_type");
        Optional<String> assertion = form.get("client_assertion");
        if ((basic.isPresent() ? 1 : 0) + (postedSecret.isPresent() ? 1 : 0)
                + (assertionType.isPresent() || assertion.isPresent() ? 1 : 0) > 1) {
            // RFC 6749 §2.3: the client MUST NOT use more than one authentication method in each request.
            throw OAuthError.invalidRequest("more than one client authentication method was used");
        }
        if (assertionType.isPresent() || assertion.isPresent()) {
            if (assertionType.isEmpty() || assertion.isEmpty()) {
                throw OAuthError.invalidRequest("client_assertion and client_assertion_type go together");
            }
            if (!assertionType.get().equals(ClientAssertions.TYPE)) {
                // RFC 7521 §4.2: an assertion type the server does not support.
                throw OAuthError.invalidClient("unsupported client_assertion_type");
            }
            return assertions.authenticate(assertion.get(), postedId);
        }
        if (basic.isPresent()) {
            String id = basic.get()[0];
            if (postedId.isPresent() && !postedId.get().equals(id)) {
                throw OAuthError.invalidRequest("client_id does not match the authenticated client");
            }
            return verifySecret(id, basic.get()[1], RegisteredClient.CLIENT_SECRET_BASIC);
        }
        String id = postedId.orElseThrow(() -> OAuthError.invalidClient("client authentication is required"));
        if (postedSecret.isPresent()) {
            return verifySecret(id, postedSecret.get(), RegisteredClient.CLIENT_SECRET_POST);
        }
        RegisteredClient client = registry.find(id)
                .orElseThrow(() -> OAuthError.invalidClient("client authentication failed"));
        // RFC 6749 §3.2.1: a confidential client MUST authenticate; only public clients may send just client_id.
        if (!client.isPublic() || !client.authMethods().contains(RegisteredClient.NONE)) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client;
    }

    private RegisteredClient verifySecret(String id, String secret, String method) {
        Optional<RegisteredClient> client = registry.find(id);
        long now = java.time.Instant.now().getEpochSecond();
        // An unknown client costs the same hash comparison as a known one: timing does not say which ids exist.
        boolean matches = client.isPresent() ? client.get().secretMatches(secret, now)
                : ClientSecrets.matches(secret, NO_CLIENT_HASH);
        if (client.isEmpty() || !matches || !client.get().authMethods().contains(method)) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client.get();
    }

    /** Decodes {@code Basic base64(urlencode(id):urlencode(secret))} (RFC 6749 §2.3.1); empty without one. */
    static Optional<String[]> basicCredentials(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String[] parts = WHITESPACE.split(authorization.trim(), 2);
        if (!parts[0].equalsIgnoreCase("Basic")) {
            // A header without a scheme may be the secret itself: named only when it reads as a scheme, as the
            // description is answered and audited.
            throw OAuthError.invalidClient(parts.length > 1 && SCHEME.matcher(parts[0]).matches()
                    ? "unsupported authentication scheme " + parts[0] + "; use Basic"
                    : "the Authorization header must use the Basic scheme");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(parts.length > 1 ? parts[1] : ""),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuthError.invalidClient("malformed Basic credentials");
            }
            return Optional.of(new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("malformed Basic credentials");
        }
    }
}
