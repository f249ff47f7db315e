package io.authsuite.auth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IssuerCheckTest {

    @Test
    void issuerWhenHttpsOrLoopbackHttpThenAccepted() {
        for (String issuer : new String[] {"https://auth.example.com", "https://auth.example.com/realm",
                "https://auth.example.com:8443", "http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"}) {
            assertEquals(Optional.empty(), IssuerCheck.problem(issuer), issuer);
        }
    }

    @Test
    void issuerWhenTrailingSlashQueryFragmentOrPlainHttpThenRefused() {
        for (String issuer : new String[] {"https://auth.example.com/", "https://auth.example.com/realm/",
                "https://auth.example.com?tenant=a", "https://auth.example.com#x", "https://u:p@auth.example.com",
                "http://auth.example.com", "http://10.0.0.5:8080", "ftp://auth.example.com", "auth.example.com",
                "https://", "https://auth example.com"}) {
            assertTrue(IssuerCheck.problem(issuer).isPresent(), issuer);
        }
    }
}
