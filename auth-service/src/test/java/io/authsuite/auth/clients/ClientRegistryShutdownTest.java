package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.authsuite.auth.ErrorLines;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stopping a replica is not a failure: its log says nothing at ERROR about the reload the stop cut short. */
@QuarkusTest
class ClientRegistryShutdownTest {

    @Inject
    AuthConfig config;

    @Inject
    ResourceRegistry resources;

    @Inject
    ClientStore store;

    @Test
    void stopWhenReloadWaitingForRedisThenNoErrorLogged() throws InterruptedException {
        ClientRegistry registry = new ClientRegistry(config, resources, store);
        try (ErrorLines errors = new ErrorLines(ClientRegistry.class)) {
            Set<Thread> before = ErrorLines.threads("client-registry-follower");
            // Redis holds every client's next command: the follower's first reload waits for its answer.
            RedisTestResource.server().command("CLIENT", "PAUSE", "1500", "ALL");
            registry.start(null);
            Thread follower = ErrorLines.awaitWaitingForRedis("client-registry-follower", before);
            registry.stop(null);
            follower.join(2000);
            assertFalse(follower.isAlive(), "the follower ended with the stop");
            assertEquals(List.of(), errors.messages());
        } finally {
            // The pause ends by itself (CLIENT UNPAUSE would wait for it too): the next test finds Redis answering.
            RedisTestResource.server().command("PING");
        }
    }
}
