package io.authsuite.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.DpopKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class DpopProofsTest {

    static final String URL = "https://auth.example/oauth2/token";

    static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void proofAtTokenEndpointThenKeyAndNonceReturnedWithoutAth() throws Exception {
        DpopKey key = DpopKey.generate();
        DpopProofs.Proof proof = DpopProofs.verify(key.proof("POST", URL, null, "n-1"), "POST", URL, null, null,
                now(), 60);
        assertEquals(key.thumbprint(), proof.jkt());
        assertEquals("n-1", proof.nonce());
    }

    @Test
    void proofWithAccessTokenWhenAthOfAnotherTokenThenRefused() {
        DpopKey key = DpopKey.generate();
        String proof = key.proof("GET", URL, "token-a");
        DpopProofs.InvalidProofException e = assertThrows(DpopProofs.InvalidProofException.class, () ->
                DpopProofs.verify(proof, "GET", URL, "token-b", key.thumbprint(), now(), 60));
        assertTrue(e.getMessage().contains("ath"));
    }

    @Test
    void proofWhenExpectedKeyDiffersThenRefused() {
        DpopKey key = DpopKey.generate();
        assertThrows(DpopProofs.InvalidProofException.class, () -> DpopProofs.verify(key.proof("POST", URL, null),
                "POST", URL, null, DpopKey.generate().thumbprint(), now(), 60));
    }

    @Test
    void htuWhenDefaultPortCaseQueryOrFragmentDifferThenSameUri() throws Exception {
        DpopKey key = DpopKey.generate();
        DpopProofs.verify(key.proof("POST", "HTTPS://Auth.Example:443/oauth2/token", null), "POST",
                URL + "?x=1#f", null, null, now(), 60);
        assertEquals("http://a.example/", DpopProofs.normalize("http://A.example:80"));
    }

    @Test
    void htuWithQueryCharactersJavaNetUriRefusesThenProofStillMatches() throws Exception {
        DpopKey key = DpopKey.generate();
        DpopProofs.verify(key.proof("GET", "https://api.example/orders?x=a|b{c}^`#f|g", null), "GET",
                "https://api.example/orders?x=1", null, null, now(), 60);
        assertEquals("https://api.example/orders", DpopProofs.normalize("https://api.example/orders#a?b"));
    }

    @Test
    void htuWhenPercentEncodingOrDotSegmentsDifferThenSameUri() {
        // RFC 3986 §6.2.2: unreserved characters decoded, other encodings in upper case, dot segments removed.
        assertEquals(DpopProofs.normalize("https://api.example/inventory/items/BOOK-001"),
                DpopProofs.normalize("https://api.example/inventory/items/BOOK%2d001"));
        assertEquals(DpopProofs.normalize("https://api.example/a/%7Eb"), DpopProofs.normalize("https://api.example/a/%7eb"));
        assertEquals("https://api.example/a%2Fb", DpopProofs.normalize("https://api.example/a%2fb"));
        assertEquals("https://api.example/orders", DpopProofs.normalize("https://api.example/x/../orders"));
        assertEquals("https://api.example/orders/", DpopProofs.normalize("https://api.example/orders/./"));
        assertEquals("https://api.example/b", DpopProofs.normalize("https://api.example/../b"));
        assertNotEquals(DpopProofs.normalize("https://api.example/orders"),
                DpopProofs.normalize("https://api.example/orders%2Fx"));
    }

    @Test
    void oversizedNonceThenRefused() {
        DpopKey key = DpopKey.generate();
        JwtClaims claims = DpopKey.claims("POST", URL, null);
        claims.setStringClaim("nonce", "n".repeat(300));
        assertThrows(DpopProofs.InvalidProofException.class, () ->
                DpopProofs.verify(key.sign(claims, "dpop+jwt", false), "POST", URL, null, null, now(), 60));
    }

    /** A proof with this raw header: its signature is garbage, but the header is refused before it is looked at. */
    static String proofWithHeader(String headerJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(DpopKey.claims("POST", URL, null).toJson().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not a signature".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void proofWhenHeaderMemberHasWrongJsonTypeThenRefusedNotThrown() {
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
        for (String header : List.of(
                "{\"typ\":1,\"alg\":\"ES256\",\"jwk\":" + jwk + "}",
                "{\"typ\":[\"dpop+jwt\"],\"alg\":\"ES256\",\"jwk\":" + jwk + "}",
                "{\"typ\":{\"a\":1},\"alg\":\"ES256\",\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":1,\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":[\"ES256\"],\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":{},\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":null,\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":\"key\"}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":[" + jwk + "]}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":1}}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":256,\"x\":\"AA\",\"y\":\"AA\"}}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":1,\"y\":[]}}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"RSA\",\"n\":{},\"e\":1}}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk.replace("}", ",\"key_ops\":\"verify\"}") + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"crit\":\"exp\",\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"crit\":[1],\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"b64\":\"false\",\"jwk\":" + jwk + "}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"kid\":1,\"x5c\":\"c\",\"jwk\":" + jwk + "}",
                "[\"dpop+jwt\"]", "1", "null")) {
            // RFC 9449 §4.3: a proof whose header is not well-formed is an invalid proof, never a server error.
            assertThrows(DpopProofs.InvalidProofException.class,
                    () -> DpopProofs.verify(proofWithHeader(header), "POST", URL, null, null, now(), 60), header);
        }
    }

    @Test
    void proofWhenJwkCarriesAnRsaPrivateMemberThenRefused() throws Exception {
        // RFC 9449 §4.3: the jwk must not contain a private key; dp, dq, qi and oth are RSA private members too.
        org.jose4j.jwk.RsaJsonWebKey rsa = org.jose4j.jwk.RsaJwkGenerator.generateJwk(2048);
        java.util.Map<String, Object> all = rsa.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        java.util.Map<String, Object> publicOnly = rsa.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        // The control: the public members alone make a valid proof.
        assertEquals(rsa.calculateBase64urlEncodedThumbprint("SHA-256"),
                DpopProofs.verify(rsaProof(rsa, publicOnly), "POST", URL, null, null, now(), 60).jkt());
        for (String member : List.of("dp", "dq", "qi", "oth", "d")) {
            java.util.Map<String, Object> jwk = new java.util.LinkedHashMap<>(publicOnly);
            jwk.put(member, member.equals("oth") ? List.of() : all.get(member));
            DpopProofs.InvalidProofException e = assertThrows(DpopProofs.InvalidProofException.class,
                    () -> DpopProofs.verify(rsaProof(rsa, jwk), "POST", URL, null, null, now(), 60), member);
            assertTrue(e.getMessage().contains("public key"), member + ": " + e.getMessage());
        }
    }

    private static String rsaProof(org.jose4j.jwk.RsaJsonWebKey rsa, java.util.Map<String, Object> jwk)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setClaim("htm", "POST");
        claims.setClaim("htu", URL);
        claims.setIssuedAtToNow();
        claims.setGeneratedJwtId();
        org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue("RS256");
        jws.setHeader("typ", "dpop+jwt");
        jws.getHeaders().setObjectHeaderValue("jwk", jwk);
        jws.setKey(rsa.getPrivateKey());
        return jws.getCompactSerialization();
    }

    @Test
    void singleWhenNoneOneOrTwoHeadersThenNullValueOrRefused() throws Exception {
        assertNull(DpopProofs.single(List.of()));
        assertEquals("p", DpopProofs.single(List.of("p")));
        assertThrows(DpopProofs.InvalidProofException.class, () -> DpopProofs.single(List.of("p", "q")));
    }
}
