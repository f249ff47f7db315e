package io.authsuite.auth.exchange;

import io.authsuite.auth.clients.ResourceRegistry;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.RevocationStore;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.AccessTokenVerifier;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.GrantHandler;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.token.TokenMetrics;
import io.authsuite.auth.token.TokenResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Token exchange on behalf of a person (RFC 8693): a service that was sent a person's access token presents it as
 * {@code subject_token}, authenticated as itself, and gets an access token for another service that keeps the
 * person's {@code sub} and names the service in {@code act} (RFC 8693 §4.1). What a client may obtain, and at which
 * audience, is its registration ({@code auth.clients.<id>.exchange.<audience>}).
 *
 * <p>The new token never outlives the subject token, carries only scopes the registration and the person's token
 * both allow, and is revoked with the subject token ({@link RevocationStore#recordExchange}).
 */
@ApplicationScoped
public class TokenExchangeGrant implements GrantHandler {

    public static final String GRANT_TYPE = ClientRegistry.TOKEN_EXCHANGE;
    /** RFC 8693 §3: the only token type this server takes and issues here. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final AccessTokenVerifier verifier;
    private final AccessTokenIssuer issuer;
    private final ScopePolicy scopes;
    private final RevocationStore revocations;
    private final TokenMetrics metrics;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();
    private final AuditLog audit;
    private final ResourceRegistry resources;

    public TokenExchangeGrant(AccessTokenVerifier verifier, AccessTokenIssuer issuer, ScopePolicy scopes,
                              RevocationStore revocations, TokenMetrics metrics, AuthConfig config, AuditLog audit,
                              ResourceRegistry resources) {
        this.resources = resources;
        this.audit = audit;
        this.verifier = verifier;
        this.issuer = issuer;
        this.scopes = scopes;
        this.revocations = revocations;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key) {
        // The subject token's revocation checks read Redis with the blocking client.
        return GrantHandler.blocking(() -> exchange(request, client, key));
    }

    private TokenResponse exchange(FormParameters request, RegisteredClient client, DpopKey key) {
        String subjectToken = request.require("subject_token");
        if (!ACCESS_TOKEN_TYPE.equals(request.require("subject_token_type"))) {
            // RFC 8693 §2.2.2: a subject token unacceptable by policy is invalid_request.
            throw OAuthError.invalidRequest("subject_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        if (request.get("requested_token_type").filter(t -> !t.equals(ACCESS_TOKEN_TYPE)).isPresent()) {
            throw OAuthError.invalidRequest("only " + ACCESS_TOKEN_TYPE + " is issued");
        }
        if (request.get("actor_token").isPresent()) {
            // The authenticated client is the actor (RFC 8693 §1.1 delegation): a second actor is not taken.
            throw OAuthError.invalidRequest("actor_token is not accepted; the authenticated client is the actor");
        }
        JwtClaims subject = verifier.verify(subjectToken).orElseThrow(() -> OAuthError.invalidRequest(
                "subject_token is not an active access token of this server"));
        try {
            return issue(request, client, subject, key);
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidRequest("subject_token has a malformed claim");
        }
    }

    /**
     * The target services named by {@code audience}, in order. Each value is one target, checked below against the
     * client's exchange registration like a single one; at most {@link FormParameters#MAX_REPEATS} of them.
     */
    private static Set<String> audiences(FormParameters request) {
        List<String> sent = request.sent("audience");
        Set<String> audiences = new LinkedHashSet<>();
        for (String audience : sent) {
            // RFC 8693 §2.1: multiple audience parameters MAY be used, each naming one place the token is for: an
            // empty or repeated one names none, invalid_request (RFC 6749 §5.2). A lone empty one is omitted (§3.2).
            if (audience.isEmpty() && sent.size() > 1) {
                throw OAuthError.invalidRequest("an audience parameter is empty");
            }
            if (!audience.isEmpty() && !audiences.add(audience)) {
                throw OAuthError.invalidRequest("an audience is named twice");
            }
        }
        return audiences;
    }

    /** How many actors a token's {@code act} names, nested ones included (counted up to one past the bound). */
    static int actors(Object act) {
        int count = 0;
        while (act instanceof Map<?, ?> actor && count <= AccessTokenVerifier.MAX_ACTORS) {
            count++;
            act = actor.get("act");
        }
        return count;
    }

    private TokenResponse issue(FormParameters request, RegisteredClient client, JwtClaims subject, DpopKey key)
            throws MalformedClaimException {
        // RFC 8693 §2.2.2 leaves acceptance to policy: a client exchanges only the tokens sent to it, so that a token
        // it merely saw cannot be turned into access elsewhere.
        Set<String> served = resources.audiencesServedBy(client.id());
        if (subject.getAudience().stream().noneMatch(served::contains)) {
            throw OAuthError.invalidRequest("subject_token was not issued for this client");
        }
        String person = subject.getSubject();
        if (person.equals(subject.getClaimValueAsString("client_id"))) {
            throw OAuthError.invalidRequest("subject_token stands for a client, not a person: use client_credentials");
        }
        Set<String> targets = audiences(request);
        targets.addAll(scopes.targets(request.all("resource")));
        if (targets.isEmpty()) {
            throw OAuthError.invalidRequest("name the target service with audience or resource");
        }
        String heldScope = subject.getStringClaimValue("scope");
        Set<String> held = heldScope == null || heldScope.isBlank() ? Set.of() : ScopePolicy.parse(heldScope);
        Set<String> granted = new TreeSet<>();
        Set<String> requested = request.get("scope").map(ScopePolicy::parse).orElse(null);
        for (String target : targets) {
            RegisteredClient.ExchangePolicy policy = client.exchange().get(target);
            // RFC 8693 §2.2.2: a target outside the audiences the registration allows (.audiences, which bounds the
            // other grants too) is invalid_target, whatever exchange policy was left beside it.
            if (policy == null || client.audiences().filter(reachable -> !reachable.contains(target)).isPresent()) {
                // RFC 8693 §2.2.2: a target the server will not issue a token for is invalid_target.
                throw new OAuthError(400, "invalid_target", "the client may not exchange tokens for " + target, Map.of());
            }
            Set<String> wanted = new TreeSet<>(policy.scopes());
            if (requested != null) {
                wanted.retainAll(requested);
            }
            // The person's token must allow it: it holds the registration's subject scopes, or each scope itself.
            boolean personAllows = !policy.subjectScopes().isEmpty() && held.containsAll(policy.subjectScopes());
            if (!personAllows) {
                wanted.retainAll(held);
            }
            if (wanted.isEmpty()) {
                throw OAuthError.invalidScope("the subject token allows no scope of " + target + " for this client");
            }
            granted.addAll(wanted);
        }
        if (requested != null && !granted.containsAll(requested)) {
            Set<String> refused = new TreeSet<>(requested);
            refused.removeAll(granted);
            throw OAuthError.invalidScope("not allowed by exchange: " + String.join(" ", refused));
        }
        Instant now = clock.instant();
        // The exchanged token lives no longer than the token it stands on.
        Instant exp = Instant.ofEpochSecond(Math.min(now.plus(config.accessToken().ttl()).getEpochSecond(),
                subject.getExpirationTime().getValue()));
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", client.id());
        Object previous = subject.getClaimValue("act");
        // RFC 8693 §2.2.2 leaves it to policy: every actor of a chain must stay within what the verifiers walk, or a
        // disabled service deep in a cycle of exchange policies would no longer end the tokens made along it.
        if (actors(previous) >= AccessTokenVerifier.MAX_ACTORS) {
            throw OAuthError.invalidRequest("subject_token was exchanged " + AccessTokenVerifier.MAX_ACTORS
                    + " times already: no longer chain of actors is issued");
        }
        if (previous != null) {
            // RFC 8693 §4.1: a chain of delegation nests the earlier actors.
            act.put("act", previous);
        }
        extra.put("act", act);
        // The client the person signed in through, kept along a chain of exchanges: disabling that client ends the
        // tokens exchanged from its tokens too, at once rather than when they expire (RFC 7009 §2 as for its own).
        Object origin = subject.getClaimValue(AccessTokenIssuer.ORIGIN_CLIENT_ID);
        if (origin == null && previous == null) {
            // A person's own token. An exchanged one without the claim (signed by an older release) names a service
            // in client_id, not the origin: none is recorded then, and its actors still count (act above).
            origin = subject.getClaimValue("client_id");
        }
        if (origin != null) {
            extra.put(AccessTokenIssuer.ORIGIN_CLIENT_ID, origin.toString());
        }
        extra.putAll(key.confirmation());
        Object groups = subject.getClaimValue("groups");
        if (groups instanceof List<?> list) {
            extra.put("groups", list);
        }
        AccessTokenIssuer.Ticket ticket = new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now, exp);
        // Recorded before it exists, then the subject token looked at again: a revocation denies the subject token
        // before it reads what was exchanged from it (RevocationStore.denyTokens), so either it finds this record or
        // this look finds the subject token denied. Checked before only, a revocation landing in between would leave
        // the exchanged token alive for its whole life.
        revocations.recordExchange(subject.getJwtId(), ticket.jti(), exp.getEpochSecond());
        if (verifier.verify(request.require("subject_token")).isEmpty()) {
            throw OAuthError.invalidRequest("subject_token is not an active access token of this server");
        }
        AccessTokenIssuer.IssuedToken token = issuer.issue(person, client.id(), targets, granted, extra, ticket);
        metrics.issued(GRANT_TYPE, client.id());
        audit.tokenIssued(GRANT_TYPE, client.id(), person, granted, token.jti(), key.bound());
        // RFC 8693 §2.2.1: issued_token_type is REQUIRED; no refresh token for an exchanged access token.
        return new TokenResponse(token.value(), key.tokenType(), token.expiresIn(), String.join(" ", granted), null, null,
                ACCESS_TOKEN_TYPE);
    }
}
