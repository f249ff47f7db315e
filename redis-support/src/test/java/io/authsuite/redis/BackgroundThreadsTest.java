package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;

class BackgroundThreadsTest {

    private Vertx vertx;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What Quarkus does to place one HTTP server instance: a new event-loop context, the next loop of the group. */
    private EventLoop placeInstance() {
        return ((VertxInternal) vertx).createEventLoopContext().nettyEventLoop();
    }

    @Test
    void startWhenThreadFirstCallsVertxDuringServerPlacementThenInstancesStillGetBothLoops() throws Exception {
        CountDownLatch placing = new CountDownLatch(1);
        CountDownLatch called = new CountDownLatch(1);
        AtomicReference<Context> used = new AtomicReference<>();
        Thread thread = BackgroundThreads.start(vertx, "test-follower", () -> {
            await(placing);
            // A Redis call from this thread asks Vert.x for the thread's context, as this does.
            used.set(vertx.getOrCreateContext());
            called.countDown();
        });

        EventLoop first = placeInstance();
        placing.countDown();
        assertTrue(called.await(5, TimeUnit.SECONDS));
        EventLoop second = placeInstance();

        assertNotSame(first, second, "the thread's first call took a loop between the two placements");
        thread.join(5000);
        assertTrue(used.get() != null);
    }

    @Test
    void startWhenPlainThreadFirstCallsVertxDuringServerPlacementThenBothInstancesShareALoop() throws Exception {
        // The failure the class prevents, shown on the same two loops: without it the test above would fail.
        CountDownLatch placing = new CountDownLatch(1);
        CountDownLatch called = new CountDownLatch(1);
        Thread thread = Thread.ofPlatform().daemon().start(() -> {
            await(placing);
            vertx.getOrCreateContext();
            called.countDown();
        });

        EventLoop first = placeInstance();
        placing.countDown();
        assertTrue(called.await(5, TimeUnit.SECONDS));
        EventLoop second = placeInstance();

        assertSame(first, second);
        thread.join(5000);
    }

    @Test
    void schedulerWhenReturnedThenItsThreadRunsTasksOnTheContextItTookAtStart() throws Exception {
        ScheduledExecutorService scheduler = BackgroundThreads.scheduler(vertx, "test-sync");
        try {
            EventLoop first = placeInstance();
            Context context = scheduler.submit(vertx::getOrCreateContext).get(5, TimeUnit.SECONDS);
            EventLoop second = placeInstance();
            assertNotSame(first, second);
            assertSame(context, scheduler.submit(vertx::getOrCreateContext).get(5, TimeUnit.SECONDS));
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
