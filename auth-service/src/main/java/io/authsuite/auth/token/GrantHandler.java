package io.authsuite.auth.token;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * One grant type (RFC 6749 §4). The token endpoint authenticates the client and checks it may use the grant;
 * the handler validates the grant's own parameters and issues the tokens.
 *
 * <p>{@link #handle} is called on the event loop. A handler whose stores only block wraps its work in
 * {@link #blocking}; the hot grants (client credentials, refresh) run on the event loop throughout, because every
 * hand-over to a worker thread and back cost about as much CPU as the rest of the request.
 */
public interface GrantHandler {

    /** The {@code grant_type} value this handler serves. */
    String grantType();

    /**
     * Issues the tokens, or fails with an {@link OAuthError}; never blocks the calling thread.
     *
     * @param key the DPoP key the request proved ({@link DpopKey#NONE} without a proof): access tokens are bound to it
     */
    Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key);

    /**
     * As {@link #handle(FormParameters, RegisteredClient, DpopKey)}; a grant that spends a single-use credential
     * (a code, a refresh token) tells {@code spend} right before it sends the spending command.
     */
    default Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key,
                                      SingleUseSpend spend) {
        return handle(request, client, key);
    }

    /** Runs {@code work} on a worker thread, keeping the request's Vert.x context. */
    static Uni<TokenResponse> blocking(Supplier<TokenResponse> work) {
        return VertxContextSupport.executeBlocking(work::get);
    }
}
