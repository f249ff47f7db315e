package io.authsuite.auth.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authorization codes: single use, short-lived, stored by hash. Redeeming is atomic: the code is removed and a
 * "used" marker left in its place, so a replay is recognised and can revoke what the first redemption issued.
 */
@ApplicationScoped
public class AuthorizationCodeStore {

    private static final String CODE = "code:";
    private static final String USED = "code-used:";

    /**
     * What a code is bound to (RFC 6749 §4.1.2, RFC 7636 §4.4, OIDC Core §3.1.2.1 nonce, RFC 9449 §10 DPoP key: null
     * when the request named none).
     */
    // Read back from Redis with Jackson: registered for reflection in native images.
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record CodeGrant(String clientId, String redirectUri, String codeChallenge, String nonce, String subject,
                            Set<String> scopes, long authTime, String sessionRef, long issuedAtMillis,
                            String dpopJkt) {
    }

    /** What the first redemption of a code handed out: the refresh family (or null) and the access token. */
    public record Issued(String familyId, String accessJti, long accessExp) {

        String encode() {
            return (familyId == null ? "-" : familyId) + " " + accessJti + " " + accessExp;
        }

        static Optional<Issued> decode(String marker) {
            String[] parts = marker.split(" ");
            if (parts.length == 3) {
                return Optional.of(new Issued(parts[0].equals("-") ? null : parts[0], parts[1], Long.parseLong(parts[2])));
            }
            // Markers written before access tokens were recorded hold the family alone.
            return marker.isEmpty() ? Optional.empty() : Optional.of(new Issued(marker, null, 0));
        }
    }

    /** Result of redeeming: the grant, or what the first redemption of a replayed code issued. */
    public record Redemption(Optional<CodeGrant> grant, Optional<Issued> replayedIssue, boolean replayed) {
    }

    /**
     * The used marker of a code replayed while its first redemption was under way, before it recorded what it
     * issued: that redemption finds it when it records, and revokes instead ({@link #recordIssued}). The marker
     * otherwise holds '' (redeemed, nothing recorded yet) or {@link Issued#encode()}, which never starts with '!'.
     */
    static final String REPLAYED = "!replayed";

    /**
     * KEYS[1] code, KEYS[2] used marker. ARGV[1] marker TTL, ARGV[2] {@link #REPLAYED}. Returns {'OK', grant} once;
     * afterwards {'USED', issued-or-empty}, marking a code whose first redemption has recorded nothing yet as
     * replayed; {'NONE'} for a code that never existed or expired unused.
     */
    private static final LuaScript REDEEM = new LuaScript("""
            local grant = redis.call('GET', KEYS[1])
            if grant then
              redis.call('DEL', KEYS[1])
              redis.call('SET', KEYS[2], '', 'EX', tonumber(ARGV[1]))
              return {'OK', grant}
            end
            local used = redis.call('GET', KEYS[2])
            if used == '' or used == ARGV[2] then
              redis.call('SET', KEYS[2], ARGV[2], 'KEEPTTL')
              return {'USED', ''}
            end
            if used then return {'USED', used} end
            return {'NONE'}
            """);

    /**
     * KEYS[1] used marker. ARGV[1] what the redemption issued, ARGV[2] {@link #REPLAYED}. Records it unless a replay
     * came first: 'OK', or 'REPLAYED' (the marker stays, so later replays find nothing left to revoke either).
     */
    private static final LuaScript RECORD = new LuaScript("""
            local used = redis.call('GET', KEYS[1])
            if used == ARGV[2] then return 'REPLAYED' end
            if used then redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL') end
            return 'OK'
            """);

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final ObjectMapper json;
    private final AuthConfig config;

    private final KeyLayout layout;

    private final DurableWrites durable;

    public AuthorizationCodeStore(RedisDataSource redis, OpaqueTokens tokens, ObjectMapper json, AuthConfig config,
                                  KeyLayout layout, DurableWrites durable) {
        this.redis = redis;
        this.durable = durable;
        this.layout = layout;
        this.tokens = tokens;
        this.json = json;
        this.config = config;
    }

    public String issue(CodeGrant grant) {
        String code = tokens.next();
        try {
            redis.value(String.class).setex(key(CODE, OpaqueTokens.hash(code)), config.authorizationCode().ttl().toSeconds(),
                    json.writeValueAsString(grant));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return code;
    }

    /**
     * The grant behind {@code code} without spending it: for checks whose failure must leave the code usable. The
     * caller must not act on it beyond refusing: only {@link #redeem} hands a code out, once.
     */
    public Optional<CodeGrant> peek(String code) {
        if (!OpaqueTokens.looksValid(code)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.value(String.class).get(key(CODE, OpaqueTokens.hash(code)))).map(this::read);
    }

    public Redemption redeem(String code) {
        if (!OpaqueTokens.looksValid(code)) {
            return new Redemption(Optional.empty(), Optional.empty(), false);
        }
        String hash = OpaqueTokens.hash(code);
        // The marker outlives any token the code could have produced being refreshed for the first time.
        long markerTtl = Math.max(600, config.accessToken().ttl().toSeconds());
        // Not waited for here: recordIssued waits, and covers this redemption with it.
        Response reply = REDEEM.run(redis, List.of(key(CODE, hash), key(USED, hash)),
                List.of(Long.toString(markerTtl), REPLAYED));
        return switch (reply.get(0).toString()) {
            case "OK" -> new Redemption(Optional.of(read(reply.get(1).toString())), Optional.empty(), false);
            case "USED" -> new Redemption(Optional.empty(), Issued.decode(reply.get(1).toString()), true);
            default -> new Redemption(Optional.empty(), Optional.empty(), false);
        };
    }

    /**
     * Records what the redemption of {@code code} issued, before it is handed out, so that a replay can revoke it:
     * the refresh family when there is one, and always the access token. One script call, as the single SET it
     * replaces.
     *
     * <p>{@linkplain DurableWrites Durable}: RFC 6749 §4.1.2 says a code used twice MUST be refused, and a redemption
     * lost in a failover would bring the code back. Redis replicates one stream in order, so the replica that
     * acknowledges this record holds the redemption before it and the refresh family started since, and a replay
     * after a failover finds what to revoke.
     *
     * @return false when the code was replayed while this redemption was under way: nothing was recorded, and the
     *         caller must revoke what it issued and hand out nothing
     * @throws DurableWrites.NotReplicatedException when no replica acknowledged in time: the code is spent, and
     *         nothing may be handed out
     */
    public boolean recordIssued(String code, Issued issued) {
        Response reply = durable.write(redis, ds -> RECORD.run(ds, List.of(key(USED, OpaqueTokens.hash(code))),
                List.of(issued.encode(), REPLAYED)));
        return !"REPLAYED".equals(reply.toString());
    }

    /** {@code auth:code:<hash>}; on Redis Cluster the code and its used marker share the code's hash as tag. */
    private String key(String kind, String hash) {
        return layout.group("auth:", hash) + kind + hash;
    }

    private CodeGrant read(String value) {
        try {
            return json.readValue(value, CodeGrant.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt authorization code record", e);
        }
    }
}
