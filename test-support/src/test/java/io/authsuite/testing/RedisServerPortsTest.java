package io.authsuite.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedisServerPortsTest {

    @Test
    void freeClusterPortWhenDrawnManyTimesThenBusPortFitsAndIsFree() {
        for (int i = 0; i < 300; i++) {
            int port = RedisServer.freeClusterPort();
            assertTrue(port <= 55535, "port " + port + " leaves no room for its cluster bus");
            assertTrue(RedisServer.free(port + 10000), "cluster bus port " + (port + 10000) + " is taken");
        }
    }

    @Test
    void startWhenPortTooHighForClusterBusThenErrorSaysWhy() throws IOException {
        int high = -1;
        for (int port = 56000; port < 56500 && high < 0; port++) {
            if (RedisServer.free(port)) {
                high = port;
            }
        }
        assumeTrue(high > 0, "no free port above 55535");
        int port = high;
        Path nodes = Files.createTempFile("authsuite-ports-test", ".conf");
        Files.delete(nodes);
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RedisServer.start(port, RedisServer.newPasswords(),
                            List.of("--cluster-enabled", "yes", "--cluster-config-file", nodes.toString())));
            assertTrue(refused.getMessage().contains("55535"), refused.getMessage());
        } finally {
            Files.deleteIfExists(nodes);
        }
    }

    @Test
    void startOneNodeClusterWhenStartedRepeatedlyThenEveryStartServes() {
        for (int i = 0; i < 5; i++) {
            try (RedisServer server = RedisServer.startOneNodeCluster()) {
                assertTrue(server.command("CLUSTER", "INFO").contains("cluster_state:ok"));
            }
        }
    }
}
