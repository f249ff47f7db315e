package io.authsuite.resourceserver.dpop;

import io.authsuite.dpop.DpopProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.resourceserver.security.BearerChallenges;
import io.authsuite.resourceserver.web.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * RFC 9449 §7.1 challenges: 401 with {@code WWW-Authenticate: DPoP algs="...", error="..."} and an RFC 9457 problem
 * body, for a bad proof or a token presented with the wrong scheme for its binding; {@link BearerChallenges} uses
 * {@link #challenge} for every other 401 and 403 of a request made with the {@code DPoP} scheme.
 */
public final class DpopChallenges {

    /** The DPoP challenge without an error: what a request without credentials is offered beside Bearer. */
    public static final String CHALLENGE = DpopProofs.CHALLENGE;

    private DpopChallenges() {
    }

    /**
     * A DPoP challenge with an RFC 6750 §3 error: {@code DPoP algs="...", error="...", error_description="..."}, and
     * {@code scope="..."} for {@code insufficient_scope}. An empty {@code description} or {@code scope} is left out.
     */
    public static String challenge(String error, String description, String scope) {
        return CHALLENGE + errorParams(error, description, scope);
    }

    /**
     * The RFC 6750 §3 error attributes of a challenge, either scheme's: {@code , error="..."}, then
     * {@code error_description} and {@code scope} when not empty.
     */
    public static String errorParams(String error, String description, String scope) {
        StringBuilder params = new StringBuilder(", error=\"").append(error).append('"');
        if (description != null && !description.isEmpty()) {
            params.append(", error_description=\"").append(description.replace('"', '\'')).append('"');
        }
        if (scope != null && !scope.isEmpty()) {
            params.append(", scope=\"").append(scope).append('"');
        }
        return params.toString();
    }

    /** The problem's {@code code} when the proof lacks the current nonce: retry with {@code DPoP-Nonce}'s value. */
    public static final String NONCE_REQUIRED = "DPOP_NONCE_REQUIRED";
    /** The problem's {@code code} when the proof is wrong but the token may be fine: retry with a new proof. */
    public static final String PROOF_INVALID = "DPOP_PROOF_INVALID";
    /**
     * The problem's {@code code} when a good token came with the wrong scheme for its binding (RFC 9449 §7.1, §7.2):
     * a bound token as {@code Bearer}, or an unbound one as {@code DPoP}. Resend it with the other scheme.
     */
    public static final String SCHEME_MISMATCH = "TOKEN_SCHEME_MISMATCH";

    /** The answer to a refusal ({@link BearerChallenges} finds it among an authentication failure's causes). */
    public static Response refused(DpopRefusal e) {
        // Already fit for a quoted string: DpopRefusal keeps its text to the error_description characters.
        String description = e.getMessage();
        // TOKEN_INVALID tells a client to sign in again, which a nonce, a proof or a scheme never calls for: a DPoP
        // refusal's invalid_token is only ever a token sent with the wrong scheme for its binding (DpopBinding).
        String code = switch (e.error()) {
            case DpopRefusal.USE_NONCE -> NONCE_REQUIRED;
            case DpopRefusal.INVALID_PROOF -> PROOF_INVALID;
            case DpopRefusal.INVALID_TOKEN -> SCHEME_MISMATCH;
            default -> BearerChallenges.TOKEN_INVALID;
        };
        Response.ResponseBuilder response = Problem.of(Response.Status.UNAUTHORIZED, description)
                .withError(e.error())
                .withCode(code)
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge(e.error(), description, null));
        if (e.nonce() != null) {
            // RFC 9449 §9: use_dpop_nonce comes with the nonce to use.
            response.header("DPoP-Nonce", e.nonce());
        }
        return response.build();
    }
}
