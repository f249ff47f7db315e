package io.authsuite.auth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.StopDuringRedisCall;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.testing.RedisTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
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

    @Inject
    Vertx vertx;

    @Test
    void stopWhenBatchWaitingForRedisThenNoErrorLoggedAndEventWrittenOnce() throws InterruptedException {
        AuditLog audit = new AuditLog(json, redis, config, new SimpleMeterRegistry(), vertx);
        String subject = "stop-" + UUID.randomUUID();
        audit.success(AuditTypes.TOKEN_ISSUED, subject, "svc", Map.of());
        // The writer's first batch (after 200 ms) waits for Redis.
        assertEquals(List.of(), StopDuringRedisCall.errorsLogged(AuditLog.class, "audit-writer",
                () -> audit.start(null), () -> audit.stop(null)));
        String recent = RedisTestResource.server().command("XREVRANGE", "auth:audit", "+", "-", "COUNT", "50");
        assertEquals(1, recent.split(subject, -1).length - 1, "the event is in the stream once");
    }
}
