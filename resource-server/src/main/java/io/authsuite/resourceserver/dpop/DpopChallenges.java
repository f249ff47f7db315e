package io.authsuite.resourceserver.dpop;

import io.authsuite.dpop.DpopProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.resourceserver.security.BearerChallenges;
import io.authsuite.resourceserver.web.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * RFC 9449 §7.1 challenges: 401 with {@code WWW-Authenticate: DPoP algs="...", error="..."} and an RFC 9457 problem
 * body, for a bad proof or a token presented with the wrong scheme for its binding.
 */
public final class DpopChallenges {

    /** The DPoP challenge without an error: what a request without credentials is offered beside Bearer. */
    public static final String CHALLENGE = DpopProofs.CHALLENGE;

    private DpopChallenges() {
    }

    /** The answer to a refusal ({@link BearerChallenges} finds it among an authentication failure's causes). */
    public static Response refused(DpopRefusal e) {
        String description = e.getMessage().replace('"', '\'');
        Response.ResponseBuilder response = Problem.of(Response.Status.UNAUTHORIZED, description)
                .withError(e.error())
                .withCode(BearerChallenges.TOKEN_INVALID)
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"" + e.error() + "\", error_description=\""
                        + description + "\"");
        if (e.nonce() != null) {
            // RFC 9449 §9: use_dpop_nonce comes with the nonce to use.
            response.header("DPoP-Nonce", e.nonce());
        }
        return response.build();
    }
}
