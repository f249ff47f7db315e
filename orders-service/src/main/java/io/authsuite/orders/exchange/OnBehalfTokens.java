package io.authsuite.orders.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.client.NamedOidcClient;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access tokens for inventory-service on behalf of the person who places an order: token exchange (RFC 8693) of the
 * person's access token at auth-service, through quarkus-oidc-client's {@code exchange} client. inventory-service then
 * sees the person ({@code sub}) and this service ({@code act}), and auth-service grants only what orders-service's
 * registration and the person's token both allow.
 *
 * <p>A person who places several orders with one access token is exchanged once: the result is kept, by the SHA-256
 * of the person's token, until a minute before it expires. The cache is bounded; the oldest entry goes first.
 *
 * <p>A failed exchange is one of two outcomes, decided here and not by the inventory client's retries and circuit
 * breaker: auth-service refused the person's token ({@link SubjectTokenRefused}: the caller's token is no good), or
 * auth-service could not answer ({@link ExchangeUnavailable}: try later). Neither says anything about inventory-service.
 */
@ApplicationScoped
public class OnBehalfTokens {

    private static final int MAX_ENTRIES = 10_000;
    private static final long SKEW_SECONDS = 60;
    /** As long as a reserve call may take (InventoryClient's @Timeout). */
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(3);

    private record Cached(String token, long expiresAt) {
    }

    /**
     * auth-service refused the exchange as an invalid request: the person's token is expired, revoked or otherwise not
     * acceptable, or (the same error code) this service sent something auth-service does not accept.
     */
    public static final class SubjectTokenRefused extends RuntimeException {
        public SubjectTokenRefused(String error) {
            super("auth-service refused the subject token: " + error, null, false, false);
        }
    }

    /** auth-service could not be reached, failed, or refused orders-service itself (a deployment's mistake). */
    public static final class ExchangeUnavailable extends RuntimeException {
        public ExchangeUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OnBehalfTokens.class);

    private final OidcClient exchange;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public OnBehalfTokens(@NamedOidcClient("exchange") OidcClient exchange, ObjectMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    /** A token for inventory-service that acts for the holder of {@code personToken}. */
    public Uni<String> forPerson(String personToken) {
        String key = sha256(personToken);
        long now = clock.instant().getEpochSecond();
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null && cached.expiresAt() - SKEW_SECONDS > now) {
            return Uni.createFrom().item(cached.token());
        }
        return exchange.getTokens(Map.of("subject_token", personToken)).map(tokens -> remember(key, tokens, now))
                // quarkus-oidc-client bounds the connect, not the answer: an auth-service that accepts the connection
                // and never answers must not hold the order forever.
                .ifNoItem().after(TIMEOUT).failWith(() -> new ExchangeUnavailable("auth-service did not answer the "
                        + "token exchange within " + TIMEOUT.toSeconds() + " s", null))
                .onFailure(failure -> !(failure instanceof ExchangeUnavailable)).transform(this::classify);
    }

    /**
     * Drops {@code refused}, kept for {@code personToken}, which inventory-service found invalid: the next order
     * exchanges again rather than bring the refused token until it expires (say, after orders-service's client was
     * disabled and enabled again, which cuts off the tokens issued to it before). A token exchanged meanwhile stays.
     */
    public void forget(String personToken, String refused) {
        String key = sha256(personToken);
        synchronized (cache) {
            Cached cached = cache.get(key);
            if (cached != null && cached.token().equals(refused)) {
                cache.remove(key);
            }
        }
    }

    /**
     * quarkus-oidc-client fails with the token endpoint's error body as the message of an {@link OidcClientException}
     * when auth-service answered, and with a connection error otherwise.
     */
    private RuntimeException classify(Throwable failure) {
        String error = failure instanceof OidcClientException ? errorCode(failure.getMessage()) : null;
        if ("invalid_request".equals(error) || "invalid_grant".equals(error)) {
            // RFC 8693 §2.2.2: invalid_request when the subject_token is invalid (expired, revoked, unknown).
            return new SubjectTokenRefused(error);
        }
        if (error != null && !"temporarily_unavailable".equals(error) && !"server_error".equals(error)) {
            // invalid_client, unauthorized_client, invalid_scope, invalid_target: this service's registration or
            // settings, not the caller's token; every person's order fails the same way until it is fixed.
            LOG.warnf("auth-service refused orders-service's token exchange: %s (check the orders-service client's "
                    + "registration at auth-service)", error);
        }
        return new ExchangeUnavailable("token exchange at auth-service failed"
                + (error == null ? ": " + failure.getMessage() : ": " + error), failure);
    }

    /** The RFC 6749 §5.2 {@code error} of a token endpoint's error body, or null when it is none. */
    private String errorCode(String body) {
        if (body == null || !body.startsWith("{")) {
            return null;
        }
        try {
            JsonNode error = json.readTree(body).path("error");
            return error.isTextual() ? error.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private String remember(String key, Tokens tokens, long now) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        synchronized (cache) {
            cache.put(key, new Cached(tokens.getAccessToken(), expiresAt == null ? now : expiresAt));
        }
        return tokens.getAccessToken();
    }

    private static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
