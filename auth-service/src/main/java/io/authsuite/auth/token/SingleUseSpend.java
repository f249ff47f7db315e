package io.authsuite.auth.token;

/**
 * Whether a token request has sent the command that spends its single-use grant: an authorization code, or a refresh
 * token that has no reuse grace. (A device's poll after its approval was collected hears {@code expired_token} and
 * revokes nothing, so its 503 keeps Retry-After.) If Redis then stops answering, the spend may have happened,
 * and a retry with the same grant would be a replay that revokes it (RFC 6749 §4.1.2, RFC 9700 §4.14.2). So the
 * token endpoint's 503 for such a request carries no Retry-After and tells the client to start again, as it does
 * when the spend is known to have happened ({@code DurableWrites.NotReplicatedException}).
 *
 * <p>One per token request, handed to the grant by the endpoint: a grant may tell it from any thread.
 */
public final class SingleUseSpend {

    private volatile boolean sent;

    SingleUseSpend() {
    }

    /** For a grant called outside the token endpoint: nobody listens. */
    public static SingleUseSpend unwatched() {
        return new SingleUseSpend();
    }

    /** Called by a grant right before it sends the command that spends its single-use grant. */
    public void sending() {
        sent = true;
    }

    boolean sent() {
        return sent;
    }
}
