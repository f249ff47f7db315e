package io.authsuite.auth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.ErrorLines;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.testing.RedisTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stop while the writer waits for Redis lets that write finish: no ERROR line, and each event in the stream once (an
 * interrupted write still reaches Redis, since its command was sent; writing the batch again would double it).
 */
@QuarkusTest
class AuditLogShutdownTest {

    @Inject
    ObjectMapper json;

    @Inject
    RedisDataSource redis;

    @Inject
    AuthConfig config;

    @Test
    void stopWhenBatchWaitingForRedisThenNoErrorLoggedAndEventWrittenOnce() throws InterruptedException {
        AuditLog audit = new AuditLog(json, redis, config, new SimpleMeterRegistry());
        String subject = "stop-" + UUID.randomUUID();
        try (ErrorLines errors = new ErrorLines(AuditLog.class)) {
            Set<Thread> before = ErrorLines.threads("audit-writer");
            audit.success(AuditTypes.TOKEN_ISSUED, subject, "svc", Map.of());
            RedisTestResource.server().command("CLIENT", "PAUSE", "1500", "ALL");
            audit.start(null);
            Thread writer = ErrorLines.awaitWaitingForRedis("audit-writer", before);
            audit.stop(null);
            writer.join(2000);
            assertFalse(writer.isAlive(), "the writer ended with the stop");
            assertEquals(List.of(), errors.messages());
        } finally {
            RedisTestResource.server().command("PING");
        }
        String recent = RedisTestResource.server().command("XREVRANGE", "auth:audit", "+", "-", "COUNT", "50");
        assertEquals(1, recent.split(subject, -1).length - 1, "the event is in the stream once");
    }
}
