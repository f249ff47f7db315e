package io.authsuite.dpop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.lang.JoseException;

/**
 * Checks a DPoP proof (RFC 9449 §4.3): everything that can be decided from the proof, the request and, at a resource
 * server, the access token it comes with. Remembering the proof's {@code jti} against replay ({@link DpopReplay}) and
 * checking its nonce ({@link DpopNonces}) are the caller's: both need Redis.
 */
public final class DpopProofs {

    /** The private members of EC, OKP (d) and RSA keys (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2), and oct's k. */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** Asymmetric algorithms only (RFC 9449 §4.3 check 5): the algs of the DPoP challenge. */
    public static final List<String> ALGS = List.of(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA256);

    /** The DPoP challenge without an error (RFC 9449 §7.1): what a request without credentials is offered. */
    public static final String CHALLENGE = "DPoP algs=\"" + String.join(" ", ALGS) + "\"";

    /** Whether an {@code Authorization} header value uses the {@code DPoP} scheme (RFC 9449 §7.1), in any case. */
    public static boolean isDpopScheme(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5);
    }

    /** A proof is small: a header with a public key and five claims. Anything larger is refused unread. */
    private static final int MAX_LENGTH = 4096;

    private DpopProofs() {
    }

    /** A proof that passed: what replay protection and the nonce check need, and the key it proves. */
    public record Proof(String jti, String jkt, long iat, String nonce) {
    }

    /** Why a proof is refused; the message goes into {@code error_description}. */
    public static final class InvalidProofException extends Exception {
        public InvalidProofException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The one proof among a request's {@code DPoP} header values, or null when there is none.
     *
     * @throws InvalidProofException for two or more (RFC 9449 §4.3 check 1: exactly one)
     */
    public static String single(List<String> headerValues) throws InvalidProofException {
        if (headerValues == null || headerValues.isEmpty()) {
            return null;
        }
        if (headerValues.size() > 1) {
            throw new InvalidProofException("send exactly one DPoP proof");
        }
        return headerValues.get(0);
    }

    /**
     * @param proof        the one {@code DPoP} header of the request
     * @param method       the request's method
     * @param uri          the request's absolute URI as this server publishes it
     * @param accessToken  the access token presented with it at a resource server; null at the token endpoint, where
     *                     there is none yet and {@code ath} is not checked (RFC 9449 §4.2)
     * @param expectedJkt  the key the request must prove (a token's {@code cnf.jkt}, RFC 7638 thumbprint), or null
     *                     when any key will do (a first token request)
     * @param now          epoch seconds
     * @param window       how far {@code iat} may be from {@code now}, seconds
     */
    public static Proof verify(String proof, String method, String uri, String accessToken, String expectedJkt,
                               long now, long window) throws InvalidProofException {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_LENGTH) {
            throw new InvalidProofException("a DPoP proof is required");
        }
        try {
            JsonWebSignature jws = new JsonWebSignature();
            // RFC 9449 §4.3 check 5: an asymmetric algorithm, never none or a MAC.
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    ALGS.toArray(String[]::new)));
            jws.setCompactSerialization(proof);
            // Check 4: typ is dpop+jwt. Read as an object: jose4j's getHeader casts, and a number typ is just wrong.
            if (!"dpop+jwt".equals(jws.getHeaders().getObjectHeaderValue("typ"))) {
                throw new InvalidProofException("the proof's typ must be dpop+jwt");
            }
            // Check 5 before jose4j reads alg as a String: a number, array or object alg is an unsupported one.
            if (!(jws.getHeaders().getObjectHeaderValue("alg") instanceof String alg) || !ALGS.contains(alg)) {
                throw new InvalidProofException("the proof's alg must be one of " + String.join(" ", ALGS));
            }
            // Check 6: the public key is in the header, and is only a public key.
            Map<String, Object> jwkMembers = jws.getHeaders().getObjectHeaderValue("jwk") instanceof Map<?, ?> m
                    ? castMembers(m) : null;
            if (jwkMembers == null) {
                throw new InvalidProofException("the proof carries no jwk");
            }
            // RFC 9449 §4.3 check 6: no private key. jose4j builds the public key from n and e and ignores RSA's CRT
            // members (RFC 7518 §6.3.2), yet dp alone beside e factors n: every private member is refused.
            if (PRIVATE_MEMBERS.stream().anyMatch(jwkMembers::containsKey)) {
                throw new InvalidProofException("the proof's jwk must be a public key");
            }
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(jwkMembers);
            if (!(jwk instanceof PublicJsonWebKey publicJwk)) {
                throw new InvalidProofException("the proof's jwk must be an asymmetric public key");
            }
            jws.setKey(publicJwk.getPublicKey());
            // Check 7: the signature verifies with that key.
            if (!jws.verifySignature()) {
                throw new InvalidProofException("the proof's signature does not verify");
            }
            JwtClaims claims = JwtClaims.parse(jws.getPayload());
            String jti = claims.getJwtId();
            if (jti == null || jti.isEmpty() || jti.length() > 256) {
                throw new InvalidProofException("the proof needs a jti");
            }
            // Checks 8 and 9: htm and htu name this request (htu without query and fragment).
            if (!method.equals(claims.getStringClaimValue("htm"))) {
                throw new InvalidProofException("the proof's htm does not match the request");
            }
            String htu = claims.getStringClaimValue("htu");
            if (htu == null || !normalize(htu).equals(normalize(uri))) {
                throw new InvalidProofException("the proof's htu does not match the request");
            }
            // Check 11: iat within the accepted window.
            if (claims.getIssuedAt() == null || Math.abs(now - claims.getIssuedAt().getValue()) > window) {
                throw new InvalidProofException("the proof's iat is outside the accepted window");
            }
            // Check 12: with an access token, ath is its hash and the key is the one the token is bound to.
            if (accessToken != null && !sha256(accessToken).equals(claims.getStringClaimValue("ath"))) {
                throw new InvalidProofException("the proof's ath does not match the access token");
            }
            String jkt = publicJwk.calculateBase64urlEncodedThumbprint("SHA-256");
            if (expectedJkt != null && !jkt.equals(expectedJkt)) {
                throw new InvalidProofException(accessToken != null
                        ? "the proof's key is not the key the access token is bound to"
                        : "the proof's key is not the key the grant is bound to");
            }
            String nonce = claims.getStringClaimValue("nonce");
            if (nonce != null && nonce.length() > 256) {
                throw new InvalidProofException("the proof's nonce is malformed");
            }
            return new Proof(jti, jkt, claims.getIssuedAt().getValue(), nonce);
        } catch (JoseException | MalformedClaimException | org.jose4j.jwt.consumer.InvalidJwtException
                 | IllegalArgumentException | ClassCastException e) {
            // RFC 9449 §4.3 check 2: a header or jwk member of the wrong JSON type (jose4j casts them unchecked) makes
            // the proof not a well-formed JWT: an invalid proof, not a server error.
            throw new InvalidProofException("the proof is malformed");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMembers(Map<?, ?> members) {
        return (Map<String, Object>) members;
    }

    /** base64url(SHA-256(ASCII)) as {@code ath} has it (RFC 9449 §4.2). */
    public static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 9449 §4.3 check 9 compares htu without query and fragment, after RFC 3986 §6.2.2/§6.2.3 normalization:
     * scheme and host in lower case, a default port left out, an empty path as "/", percent-encodings of unreserved
     * characters decoded and the others in upper case (§6.2.2.1, §6.2.2.2), dot segments removed (§6.2.2.3).
     */
    public static String normalize(String uri) {
        // Query and fragment go before parsing: they are not compared, and the htu a client signs may carry a query
        // with characters java.net.URI refuses (| { } ^), which would have failed a proof that matches.
        int end = uri.length();
        for (char c : new char[] {'?', '#'}) {
            int at = uri.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        URI u = URI.create(uri.substring(0, end));
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URI");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                + withoutDotSegments(percentEncodingsNormalized(path));
    }

    private static String percentEncodingsNormalized(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && hex(path.charAt(i + 1)) && hex(path.charAt(i + 2))) {
                char decoded = (char) Integer.parseInt(path.substring(i + 1, i + 3), 16);
                if (unreserved(decoded)) {
                    out.append(decoded);
                } else {
                    out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 3986 §2.3. */
    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 §5.2.4, for an absolute path. */
    private static String withoutDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            switch (segments[i]) {
                case "." -> {
                    if (last) {
                        out.add("");
                    }
                }
                case ".." -> {
                    if (!out.isEmpty()) {
                        out.removeLast();
                    }
                    if (last) {
                        out.add("");
                    }
                }
                default -> out.add(segments[i]);
            }
        }
        return "/" + String.join("/", out);
    }
}
