package io.authsuite.inventory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.authsuite.redis.EventLoopRedis;
import io.netty.channel.EventLoop;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-event-loop Redis clients of the request paths: one per loop, configured as the service's default client. */
@QuarkusTest
class EventLoopRedisTest {

    @Inject
    EventLoopRedis loops;

    @Inject
    ReactiveRedisDataSource fallback;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry metrics;

    /** What {@code current()} gave on a context, and who Redis said the caller was, asked through it. */
    private record Answer(EventLoop loop, ReactiveRedisDataSource dataSource, String user, String thread) {
    }

    private Answer askOn(ContextInternal context) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        context.runOnContext(v -> {
            ReactiveRedisDataSource dataSource = loops.current();
            dataSource.execute("ACL", "WHOAMI").subscribe().with(
                    reply -> answer.complete(new Answer(context.nettyEventLoop(), dataSource, reply.toString(),
                            Thread.currentThread().getName())),
                    answer::completeExceptionally);
        });
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void currentWhenAskedOnEachEventLoopThenOneClientPerLoopLoggedInAsTheServiceUser() throws Exception {
        // Contexts made off Vert.x' threads take the event loops in turn: twice round covers every loop twice.
        List<Answer> answers = new ArrayList<>();
        int eventLoops = 0;
        for (var ignored : vertx.nettyEventLoopGroup()) {
            eventLoops++;
        }
        int contexts = 2 * eventLoops;
        for (int i = 0; i < contexts; i++) {
            answers.add(askOn((ContextInternal) vertx.getOrCreateContext()));
        }
        Map<EventLoop, ReactiveRedisDataSource> byLoop = new LinkedHashMap<>();
        for (Answer a : answers) {
            // The same loop always gets the same client: its connections stay on that loop.
            ReactiveRedisDataSource earlier = byLoop.putIfAbsent(a.loop(), a.dataSource());
            if (earlier != null) {
                assertSame(earlier, a.dataSource());
            }
            assertNotSame(fallback, a.dataSource());
            // The ACL user proves the client was made with the service's customizer (RedisUser), as Quarkus' own is.
            assertEquals("inventory-service", a.user());
        }
        Map<ReactiveRedisDataSource, Boolean> distinct = new IdentityHashMap<>();
        byLoop.values().forEach(d -> distinct.put(d, true));
        assertEquals(byLoop.size(), distinct.size(), "a client of its own for each event loop");
    }

    @Test
    void currentWhenAskedOnEachEventLoopThenEachLoopsPoolReportsItsOwnGauges() throws Exception {
        int eventLoops = 0;
        for (var ignored : vertx.nettyEventLoopGroup()) {
            eventLoops++;
        }
        for (int i = 0; i < eventLoops; i++) {
            Answer a = askOn((ContextInternal) vertx.getOrCreateContext());
            // Under the default client's pool name, Micrometer would keep only the first pool's gauge of that name.
            assertNotNull(metrics.find("redis.pool.queue.size").tag("pool.name", EventLoopRedis.poolName(a.thread()))
                    .gauge(), "a gauge of the pool of " + a.thread());
        }
    }

    @Test
    void currentWhenCalledOffTheEventLoopThenTheDefaultDataSource() {
        assertSame(fallback, loops.current());
    }
}
