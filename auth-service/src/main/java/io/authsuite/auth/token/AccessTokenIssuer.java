package io.authsuite.auth.token;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.SigningKey;
import io.authsuite.auth.keys.SigningKeys;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Signs access tokens in the RFC 9068 profile: a JWT with {@code typ: at+jwt}, signed RS256 with the active key
 * and its {@code kid}. The payload carries no personal data: the subject is an opaque id.
 */
@ApplicationScoped
public class AccessTokenIssuer {

    private final SigningKeys keys;
    private final AuthConfig config;
    private final Clock clock;

    public AccessTokenIssuer(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** A signed token plus what the token response and bookkeeping need to know about it. */
    public record IssuedToken(String value, String jti, Instant expiresAt, long expiresIn) {
    }

    /**
     * The identity and lifetime of a token about to be signed, so that its {@code jti} can be recorded in the same
     * Redis round trip as the rest of a grant (the refresh rotation) before the token exists.
     */
    public record Ticket(String jti, Instant issuedAt, Instant expiresAt) {
    }

    public Ticket ticket() {
        Instant now = clock.instant();
        return new Ticket(UUID.randomUUID().toString(), now, now.plus(config.accessToken().ttl()));
    }

    /**
     * @param subject   the resource owner's subject id, or the client id for client credentials (RFC 9068 §2.2)
     * @param extra     further claims (for example {@code groups})
     */
    public IssuedToken issue(String subject, String clientId, Set<String> audiences, Set<String> scopes,
                             Map<String, Object> extra) {
        return issue(subject, clientId, audiences, scopes, extra, ticket());
    }

    public IssuedToken issue(String subject, String clientId, Set<String> audiences, Set<String> scopes,
                             Map<String, Object> extra, Ticket ticket) {
        Instant now = ticket.issuedAt();
        Instant exp = ticket.expiresAt();
        long ttl = exp.getEpochSecond() - now.getEpochSecond();
        String jti = ticket.jti();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(subject)
                .audience(audiences)
                .issuedAt(now.getEpochSecond())
                .expiresAt(exp.getEpochSecond())
                .claim("jti", jti)
                .claim("client_id", clientId)
                .claim("scope", String.join(" ", scopes));
        extra.forEach(claims::claim);
        SigningKey key = keys.active();
        // RFC 9068 §2.1: access tokens MUST carry typ "at+jwt" so they cannot pass as other JWTs (id_tokens).
        String value = claims.jws().keyId(key.kid()).header("typ", "at+jwt").sign(key.privateKey());
        return new IssuedToken(value, jti, exp, ttl);
    }
}
