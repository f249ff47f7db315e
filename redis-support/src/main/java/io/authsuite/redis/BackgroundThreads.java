package io.authsuite.redis;

import java.lang.ref.Reference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Daemon threads that call Redis (or anything of Vert.x) from outside the event loops, started at start-up.
 * <p>
 * Vert.x gives a thread of its own an event-loop context at its first call, and picks that context's loop with the
 * same round robin that places the HTTP server's instances, one per event loop, when Quarkus deploys them right after
 * the {@code StartupEvent} observers return. A background thread whose first Redis call fell between two of those
 * placements pushed both instances onto one loop: every connection was then served by that loop while the other
 * idled, half the machine unused for the process' whole life: auth-service started that way 5 times in 42 here
 * (`make bench` reported 2,554 grants/s with 41% of the machine idle, against 3,609/s in the run before), and 0 times
 * in 70 with this class. So each thread takes its context before the observer that starts it returns, and keeps it
 * reachable (Vert.x holds a thread's context only weakly).
 */
public final class BackgroundThreads {

    private static final Logger LOG = Logger.getLogger(BackgroundThreads.class);
    /** A thread starts in well under a millisecond; this only bounds a start-up that something else stalled. */
    private static final long BIND_WAIT_SECONDS = 5;

    private BackgroundThreads() {
    }

    /** Starts a daemon thread running {@code body}, returning once the thread holds its Vert.x context. */
    public static Thread start(Vertx vertx, String name, Runnable body) {
        CountDownLatch bound = new CountDownLatch(1);
        Thread thread = Thread.ofPlatform().daemon().name(name).start(bound(vertx, bound, body));
        await(bound, name);
        return thread;
    }

    /** A one-thread scheduler whose thread is started, and holds its Vert.x context, when this returns. */
    public static ScheduledExecutorService scheduler(Vertx vertx, String name) {
        CountDownLatch bound = new CountDownLatch(1);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name(name).unstarted(bound(vertx, bound, task)));
        executor.prestartCoreThread();
        await(bound, name);
        return executor;
    }

    private static Runnable bound(Vertx vertx, CountDownLatch bound, Runnable body) {
        return () -> {
            Context context = vertx.getOrCreateContext();
            bound.countDown();
            try {
                body.run();
            } finally {
                Reference.reachabilityFence(context);
            }
        };
    }

    private static void await(CountDownLatch bound, String name) {
        try {
            if (!bound.await(BIND_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("Thread %s did not start within %d s; it takes its Vert.x context later", name,
                        BIND_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
