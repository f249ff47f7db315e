package io.authsuite.auth.token;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Signs access tokens in the RFC 9068 profile: a JWT with {@code typ: at+jwt}, signed RS256 with the active key
 * and its {@code kid}. The payload carries no personal data: the subject is an opaque id.
 */
@ApplicationScoped
public class AccessTokenIssuer {

    private final TokenSigner signer;
    private final AuthConfig config;
    private final Clock clock;

    /**
     * An exchanged token's claim naming the {@code client_id} of the person's token the exchanges started from (a
     * private claim, RFC 7519 §4.3): that client's revocation covers the tokens exchanged from its tokens too.
     */
    public static final String ORIGIN_CLIENT_ID = "origin_client_id";

    public AccessTokenIssuer(TokenSigner signer, AuthConfig config) {
        this.signer = signer;
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
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(subject);
        claims.setAudience(List.copyOf(audiences));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        claims.setJwtId(jti);
        claims.setClaim("client_id", clientId);
        claims.setClaim("scope", String.join(" ", scopes));
        extra.forEach((name, value) -> claims.setClaim(name, TokenSigner.json(value)));
        // RFC 9068 §2.1: access tokens MUST carry typ "at+jwt" so they cannot pass as other JWTs (id_tokens).
        String value = signer.sign(claims, "at+jwt");
        return new IssuedToken(value, jti, exp, ttl);
    }
}
