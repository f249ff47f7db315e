package io.authsuite.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormParametersTest {

    @Test
    void parseWhenRecognizedParameterRepeatedThenInvalidRequest() {
        OAuthError e = assertThrows(OAuthError.class, () -> FormParameters.parse("grant_type=a&grant_type=b"));
        assertEquals("invalid_request", e.error());
        assertTrue(e.getMessage().contains("grant_type"), e.getMessage());
    }

    @Test
    void parseWhenUnrecognizedParameterRepeatedThenIgnored() {
        FormParameters form = FormParameters.parse("grant_type=client_credentials&utm=1&utm=2");
        assertEquals(Optional.of("client_credentials"), form.get("grant_type"));
    }

    @Test
    void getWhenARepeatedParameterIsReadThenRefusedEvenIfNotListed() {
        // A parameter some future code reads without adding it to RECOGNIZED still never settles for a first value.
        FormParameters form = FormParameters.parse("new_parameter=1&new_parameter=2");
        assertThrows(OAuthError.class, () -> form.get("new_parameter"));
        assertThrows(OAuthError.class, () -> form.require("new_parameter"));
    }

    @Test
    void resourceMayRepeat() {
        assertEquals(List.of("https://a", "https://b"),
                FormParameters.parse("resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fb").all("resource"));
    }
}
