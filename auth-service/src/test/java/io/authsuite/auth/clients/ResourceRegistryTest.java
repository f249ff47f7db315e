package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceRegistryTest {

    @Test
    void configuredResourceUriWhenRelativeOrWithFragmentThenRefused() {
        // RFC 8707 §2: an absolute URI without a fragment; a configured one that is not would be matched by requests
        // that are not either, and the start fails instead.
        for (String uri : List.of("orders", "/orders", "https://orders.example/#v1", "https://orders.example/#",
                "http://[bad")) {
            assertTrue(ResourceRegistry.invalidResourceUri(uri).isPresent(), uri);
        }
        for (String uri : List.of("https://orders.example", "https://orders.example/api?v=1", "urn:authsuite:orders")) {
            assertEquals(Optional.empty(), ResourceRegistry.invalidResourceUri(uri), uri);
        }
    }
}
