package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientSecretsTest {

    @Test
    void matchesWhenSameSecretThenTrue() {
        assertTrue(ClientSecrets.matches("s3cret", ClientSecrets.hash("s3cret")));
    }

    @Test
    void matchesWhenOtherSecretOrBrokenHashThenFalse() {
        String hash = ClientSecrets.hash("s3cret");
        assertFalse(ClientSecrets.matches("s3cret!", hash));
        assertFalse(ClientSecrets.matches("s3cret", "sha256:short"));
        assertFalse(ClientSecrets.matches("s3cret", "plain:s3cret"));
        assertFalse(ClientSecrets.matches("s3cret", null));
        assertFalse(ClientSecrets.matches(null, hash));
    }

    @Test
    void hashWhenMadeThenWellFormedAndGarbageNot() {
        assertTrue(ClientSecrets.isWellFormed(ClientSecrets.hash("x")));
        assertFalse(ClientSecrets.isWellFormed("sha256:%%%"));
    }
}
