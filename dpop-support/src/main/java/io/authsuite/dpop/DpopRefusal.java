package io.authsuite.dpop;

/**
 * Why a request was refused under RFC 9449: {@code invalid_dpop_proof} (the proof), {@code use_dpop_nonce} (the proof
 * lacks this server's current nonce, §8 and §9) or {@code invalid_token} (a token's binding and the scheme it came
 * with). Each server answers it in its own shape: a token-endpoint error (RFC 6749 §5.2) or a DPoP challenge.
 */
public final class DpopRefusal extends RuntimeException {

    public static final String INVALID_PROOF = "invalid_dpop_proof";
    public static final String USE_NONCE = "use_dpop_nonce";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;
    private final String nonce;

    public DpopRefusal(String error, String description) {
        this(error, description, null);
    }

    /** @param nonce the nonce to send back in {@code DPoP-Nonce}, with {@code use_dpop_nonce} */
    public DpopRefusal(String error, String description, String nonce) {
        // The text may quote the proof (a parser's message): both servers send it as an error_description.
        super(ErrorText.description(description), null, false, false);
        this.error = error;
        this.nonce = nonce;
    }

    public String error() {
        return error;
    }

    /** The nonce the client must put in its next proof, or null. */
    public String nonce() {
        return nonce;
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
