package io.authsuite.auth.dpop;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.dpop.DpopProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.dpop.DpopVerifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * DPoP at the token endpoint (RFC 9449 §5): a request may carry a proof, for every grant, and then gets tokens bound to
 * its key; a client registered with {@code dpop-bound-access-tokens} must. The proof's {@code htu} is the token
 * endpoint as discovery publishes it, never as the request's Host header names it.
 */
@ApplicationScoped
public class TokenRequestProofs {

    public static final String HEADER = "DPoP";
    public static final String NONCE_HEADER = "DPoP-Nonce";

    private final DpopVerifier verifier;
    private final String tokenEndpoint;
    private final String parEndpoint;

    public TokenRequestProofs(DpopVerifier verifier, AuthConfig config) {
        this.verifier = verifier;
        this.tokenEndpoint = config.issuer() + "/oauth2/token";
        this.parEndpoint = config.issuer() + "/oauth2/par";
    }

    /** The key the request proved, {@link DpopKey#NONE} without a proof; fails with an {@link OAuthError}. */
    public Uni<DpopKey> check(HttpServerRequest http, RegisteredClient client) {
        return check(http, tokenEndpoint, client.dpopBound());
    }

    /**
     * The key a pushed authorization request proved (RFC 9449 §10.1: checked as at the token endpoint, its
     * {@code htu} the PAR endpoint), {@link DpopKey#NONE} without a proof.
     */
    public Uni<DpopKey> checkPushedRequest(HttpServerRequest http) {
        return check(http, parEndpoint, false);
    }

    private Uni<DpopKey> check(HttpServerRequest http, String endpoint, boolean required) {
        String proof;
        try {
            proof = DpopProofs.single(http.headers().getAll(HEADER));
        } catch (DpopProofs.InvalidProofException e) {
            return Uni.createFrom().failure(error(new DpopRefusal(DpopRefusal.INVALID_PROOF, e.getMessage())));
        }
        if (proof == null) {
            if (required) {
                // RFC 9449 §5.2: a client registered with dpop_bound_access_tokens MUST send a proof every time.
                return Uni.createFrom().failure(error(new DpopRefusal(DpopRefusal.INVALID_PROOF,
                        "this client must send a DPoP proof with every token request")));
            }
            return Uni.createFrom().item(DpopKey.NONE);
        }
        return verifier.verify(proof, "POST", endpoint, null, null)
                .map(checked -> new DpopKey(checked.jkt()))
                .onFailure(DpopRefusal.class).transform(e -> error((DpopRefusal) e));
    }

    /** The nonce to hand a DPoP client with its tokens when nonces are required (RFC 9449 §8.2), else null. */
    public Uni<String> offeredNonce(DpopKey key) {
        return key.bound() ? verifier.offeredNonce() : Uni.createFrom().nullItem();
    }

    /** RFC 9449 §5 and §8: 400 {@code invalid_dpop_proof}, or {@code use_dpop_nonce} with the nonce to use. */
    public static OAuthError error(DpopRefusal refusal) {
        return new OAuthError(400, refusal.error(), refusal.getMessage(),
                refusal.nonce() == null ? Map.of() : Map.of(NONCE_HEADER, refusal.nonce()));
    }
}
