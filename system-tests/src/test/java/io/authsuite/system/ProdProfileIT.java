package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisServer;
import io.authsuite.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged auth-service in its production profile refuses configurations that would be unsafe. */
class ProdProfileIT {

    @Test
    void prodProfileWithDemoClientRefusesToStart() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Path keys = Files.createDirectories(Suite.WORK.resolve("prod-keys"));
            Suite.writeSigningKey(keys.resolve("signing.pem"));
            int port = RedisServer.freePort();
            try (ServiceProcess auth = ServiceProcess.start("auth-prod-demo", Suite.jar("auth-service"), port,
                    Map.of("quarkus.http.port", Integer.toString(port),
                            "auth.clients.demo-cli.secret-hash", Suite.hash("demo-cli-secret"),
                            "auth.clients.demo-cli.grant-types", "client_credentials",
                            "auth.clients.demo-cli.scopes", "orders:read"),
                    Suite.env(redis.serviceEnv("auth-service"), "AUTH_ISSUER", "https://auth.example",
                            "AUTH_KEYS_DIR", keys.toAbsolutePath().toString()),
                    Suite.WORK)) {
                int exit = auth.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(-1, exit, "auth-service kept running with a demo client in prod");
                assertNotEquals(0, exit);
                assertTrue(auth.log().contains("demo credential"), auth.log());
            }
        }
    }

    @Test
    void prodProfileWithoutSigningKeysRefusesToStart() {
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            try (ServiceProcess auth = ServiceProcess.start("auth-prod-nokeys", Suite.jar("auth-service"), port,
                    Map.of("quarkus.http.port", Integer.toString(port)),
                    Suite.env(redis.serviceEnv("auth-service"), "AUTH_ISSUER", "https://auth.example"), Suite.WORK)) {
                int exit = auth.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(-1, exit, "auth-service started without signing keys");
                assertTrue(auth.log().contains("AUTH_KEYS_ENCRYPTION_KEY"), auth.log());
                // Prod logs are JSON lines (quarkus-logging-json), for the log pipeline.
                assertTrue(auth.log().lines().anyMatch(l -> l.startsWith("{") && l.contains("\"level\":\"ERROR\"")
                        && l.contains("AUTH_KEYS_ENCRYPTION_KEY")), auth.log());
            }
        }
    }
}
