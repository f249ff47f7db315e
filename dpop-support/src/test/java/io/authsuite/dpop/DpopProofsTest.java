package io.authsuite.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.DpopKey;
import java.time.Instant;
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
    void oversizedNonceThenRefused() {
        DpopKey key = DpopKey.generate();
        JwtClaims claims = DpopKey.claims("POST", URL, null);
        claims.setStringClaim("nonce", "n".repeat(300));
        assertThrows(DpopProofs.InvalidProofException.class, () ->
                DpopProofs.verify(key.sign(claims, "dpop+jwt", false), "POST", URL, null, null, now(), 60));
    }

    @Test
    void singleWhenNoneOneOrTwoHeadersThenNullValueOrRefused() throws Exception {
        assertNull(DpopProofs.single(List.of()));
        assertEquals("p", DpopProofs.single(List.of("p")));
        assertThrows(DpopProofs.InvalidProofException.class, () -> DpopProofs.single(List.of("p", "q")));
    }
}
