package io.authsuite.resourceserver.dpop;

import io.authsuite.dpop.DpopProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.dpop.DpopVerifier;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Sender-constrained access tokens (RFC 9449 §7): a token bound to a key ({@code cnf.jkt}) is accepted only with the
 * {@code DPoP} scheme and a proof of that key made for this request; a plain bearer use of it is refused, and so is
 * the {@code DPoP} scheme with a token that is bound to nothing. Unbound bearer tokens work as before.
 */
@ApplicationScoped
public class DpopBinding implements SecurityIdentityAugmentor {

    private final DpopVerifier verifier;

    public DpopBinding(DpopVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, Map.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
                                         Map<String, Object> attributes) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        if (request == null) {
            request = HttpSecurityUtils.getRoutingContextAttribute(identity);
        }
        if (request == null) {
            return Uni.createFrom().item(identity);
        }
        String authorization = request.request().getHeader("Authorization");
        boolean dpopScheme = DpopProofs.isDpopScheme(authorization);
        String jkt = boundKey(token);
        if (jkt == null) {
            if (dpopScheme) {
                return refuse(DpopRefusal.INVALID_TOKEN, "the access token is not bound to a DPoP key");
            }
            return Uni.createFrom().item(identity);
        }
        if (!dpopScheme) {
            // RFC 9449 §7.1: a DPoP-bound token is not a bearer token; used as one (say, stolen), it is refused.
            return refuse(DpopRefusal.INVALID_TOKEN,
                    "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof");
        }
        String proof;
        try {
            proof = DpopProofs.single(request.request().headers().getAll("DPoP"));
        } catch (DpopProofs.InvalidProofException e) {
            return refuse(DpopRefusal.INVALID_PROOF, e.getMessage());
        }
        RoutingContext current = request;
        return verifier.verify(proof, request.request().method().name(), request.request().absoluteURI(),
                        token.getRawToken(), jkt)
                .onFailure(DpopRefusal.class).transform(e -> new AuthenticationFailedException(e.getMessage(), e))
                .chain(accepted -> offerNonce(current)).replaceWith(identity);
    }

    /**
     * RFC 9449 §9: with nonces required, every DPoP answer carries the nonce to use next, so a client follows the
     * rotation without being refused first.
     */
    private Uni<Void> offerNonce(RoutingContext request) {
        return verifier.offeredNonce().invoke(nonce -> {
            if (nonce != null && !request.response().headWritten()) {
                request.response().headers().set("DPoP-Nonce", nonce);
            }
        }).replaceWithVoid();
    }

    /** The key thumbprint a token is bound to ({@code cnf.jkt}, RFC 9449 §6.1), or null. */
    static String boundKey(JsonWebToken token) {
        Object cnf = token.getClaim("cnf");
        if (cnf instanceof JsonObject object && object.get("jkt") instanceof JsonString jkt) {
            return jkt.getString();
        }
        if (cnf instanceof Map<?, ?> map && map.get("jkt") instanceof String jkt) {
            return jkt;
        }
        return null;
    }

    private static Uni<SecurityIdentity> refuse(String error, String description) {
        DpopRefusal refusal = new DpopRefusal(error, description);
        return Uni.createFrom().failure(new AuthenticationFailedException(description, refusal));
    }
}
