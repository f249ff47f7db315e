package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.auth.StopDuringRedisCall;
import io.authsuite.auth.config.AuthConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.List;
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

    @Inject
    Vertx vertx;

    @Test
    void stopWhenReloadWaitingForRedisThenNoErrorLogged() throws InterruptedException {
        ClientRegistry registry = new ClientRegistry(config, resources, store, vertx);
        // The follower's first reload starts at once, and waits for Redis.
        assertEquals(List.of(), StopDuringRedisCall.errorsLogged(ClientRegistry.class, "client-registry-follower",
                () -> registry.start(null), () -> registry.stop(null)));
    }
}
