package io.authsuite.auth.token;

import io.authsuite.redis.RedisFailures;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a token request stands with its single-use grant: an authorization code, or a refresh token that has no reuse
 * grace. (A device's poll after its approval was collected hears {@code expired_token} and revokes nothing, so its 503
 * keeps Retry-After.) A retry with a grant that was used up is a replay that revokes it (RFC 6749 §4.1.2, RFC 9700
 * §4.14.2), so the token endpoint's 503 for Redis being away invites a retry only while the grant cannot have been
 * used: before its spending command was sent, or when Redis refused that command outright. Once the command may have
 * run (Redis did not answer it in time, or dropped the connection) or did run, the 503 carries no Retry-After and says
 * to start again, as it does when the spend is known not to be replicated ({@code DurableWrites.NotReplicatedException}).
 *
 * <p>One per token request, handed to the grant by the endpoint; a grant may tell it from any thread. Once the endpoint
 * has answered, a grant still queued on a worker thread may no longer spend: its client was told to retry.
 */
public final class SingleUseSpend {

    private enum State { OPEN, SENT, SPENT, ABANDONED }

    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    SingleUseSpend() {
    }

    /** For a grant called outside the token endpoint: nobody listens. */
    public static SingleUseSpend unwatched() {
        return new SingleUseSpend();
    }

    /**
     * Called by a grant right before it sends the command that spends its single-use grant.
     *
     * @throws OAuthError when the endpoint has already answered the request
     */
    public void sending() {
        if (!state.compareAndSet(State.OPEN, State.SENT)) {
            throw new OAuthError(503, "temporarily_unavailable", "the request was answered before the grant was used",
                    Map.of());
        }
    }

    /** Called by a grant once its spending command answered: the grant is used up. */
    public void spent() {
        state.set(State.SPENT);
    }

    /**
     * Called by the endpoint when the request failed with Redis away ({@code failure}): whether a retry with the same
     * grant may still succeed. From then on, the grant may no longer be spent by this request.
     */
    boolean retryMaySucceed(Throwable failure) {
        if (state.compareAndSet(State.OPEN, State.ABANDONED)) {
            return true;
        }
        return state.get() == State.SENT && !RedisFailures.isUnanswered(failure);
    }
}
