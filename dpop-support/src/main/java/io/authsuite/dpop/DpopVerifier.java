package io.authsuite.dpop;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The whole check of one DPoP proof, as the token endpoint, userinfo and the resource services all need it: the proof
 * itself ({@link DpopProofs}), this server's nonce when nonces are required ({@link DpopNonces}), and once-only use
 * across the replicas ({@link DpopReplay}). Fails with a {@link DpopRefusal}.
 *
 * <p>Settings ({@code authsuite.dpop.*}): {@code key-prefix} of the Redis keys, {@code proof-window} (how far a proof's
 * {@code iat} may be from now), {@code nonce-required} and {@code nonce-period}.
 */
@ApplicationScoped
public class DpopVerifier {

    private final DpopReplay replay;
    private final DpopNonces nonces;
    private final long window;
    private final boolean nonceRequired;
    private final Clock clock = Clock.systemUTC();
    private final Duration redisDeadline;

    public DpopVerifier(DpopReplay replay, DpopNonces nonces,
                        @ConfigProperty(name = "authsuite.dpop.proof-window", defaultValue = "PT60S") Duration window,
                        @ConfigProperty(name = "authsuite.dpop.nonce-required", defaultValue = "false")
                        boolean nonceRequired,
                        @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration redisDeadline) {
        this.redisDeadline = redisDeadline;
        this.replay = replay;
        this.nonces = nonces;
        this.window = window.toSeconds();
        this.nonceRequired = nonceRequired;
    }

    public boolean noncesRequired() {
        return nonceRequired;
    }

    /** The nonce to offer in {@code DPoP-Nonce} when nonces are required, else null. */
    public Uni<String> offeredNonce() {
        return nonceRequired ? bounded(nonces.current()) : Uni.createFrom().nullItem();
    }

    /**
     * @param proof       the request's one {@code DPoP} header value ({@link DpopProofs#single}); null is refused
     * @param accessToken see {@link DpopProofs#verify}
     * @param expectedJkt see {@link DpopProofs#verify}
     */
    public Uni<DpopProofs.Proof> verify(String proof, String method, String uri, String accessToken,
                                        String expectedJkt) {
        DpopProofs.Proof checked;
        try {
            checked = DpopProofs.verify(proof, method, uri, accessToken, expectedJkt, clock.instant().getEpochSecond(),
                    window);
        } catch (DpopProofs.InvalidProofException e) {
            return Uni.createFrom().failure(new DpopRefusal(DpopRefusal.INVALID_PROOF, e.getMessage()));
        }
        Uni<DpopProofs.Proof> nonceChecked = !nonceRequired ? Uni.createFrom().item(checked)
                : bounded(nonces.accepts(checked.nonce())).chain(accepted -> accepted ? Uni.createFrom().item(checked)
                        // RFC 9449 §8: a missing or stale nonce is answered with use_dpop_nonce and a fresh one.
                        : bounded(nonces.current()).chain(fresh -> Uni.createFrom().failure(new DpopRefusal(
                                DpopRefusal.USE_NONCE, "the proof must carry the server's current DPoP nonce",
                                fresh))));
        // A proof stays acceptable for the window on either side of its iat: remembered that long, and a little more.
        return nonceChecked.chain(p -> bounded(replay.firstUse(p, Duration.ofSeconds(2 * window + 5))).chain(first -> first
                ? Uni.createFrom().item(p)
                // RFC 9449 §11.1: a proof is used once.
                : Uni.createFrom().failure(new DpopRefusal(DpopRefusal.INVALID_PROOF,
                        "the DPoP proof was already used"))));
    }

    /**
     * The reactive Redis client has no deadline of its own: a Redis that stops answering without closing its
     * connections would hold every DPoP request for ever. Past {@code quarkus.redis.timeout} it fails with a
     * {@link io.smallrye.mutiny.TimeoutException}, which the services answer 503 with Retry-After.
     */
    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(redisDeadline).fail();
    }
}
