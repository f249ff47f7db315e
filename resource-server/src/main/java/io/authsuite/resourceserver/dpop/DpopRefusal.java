package io.authsuite.resourceserver.dpop;

/**
 * Why a request was refused under RFC 9449: {@code invalid_dpop_proof} (the proof) or {@code invalid_token} (the
 * token's binding and the scheme it came with). It travels as the cause of the authentication failure, and
 * {@link DpopChallenges} answers it with a DPoP challenge.
 */
public final class DpopRefusal extends RuntimeException {

    public static final String INVALID_PROOF = "invalid_dpop_proof";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;

    public DpopRefusal(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }

    /** The refusal among the causes of {@code failure}, or null. */
    public static DpopRefusal in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DpopRefusal refusal) {
                return refusal;
            }
        }
        return null;
    }
}
