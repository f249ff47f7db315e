package io.authsuite.auth;

import io.authsuite.testing.RedisTestResource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Stops a background thread of the service while it waits for a Redis reply, as a replica's shutdown can, and tells
 * what was logged at ERROR meanwhile. Redis is held with CLIENT PAUSE (as the operator), so the call is in flight.
 */
public final class StopDuringRedisCall {

    private StopDuringRedisCall() {
    }

    /**
     * Runs {@code start}, waits until the new thread named {@code thread} waits for Redis, runs {@code stop}, waits
     * for the thread to end, and returns the ERROR lines {@code source}'s logger wrote meanwhile.
     */
    public static List<String> errorsLogged(Class<?> source, String thread, Runnable start, Runnable stop)
            throws InterruptedException {
        List<String> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(source.getName());
        logger.addHandler(handler);
        try {
            Set<Thread> before = threads(thread);
            RedisTestResource.server().command("CLIENT", "PAUSE", "1500", "ALL");
            start.run();
            Thread started = awaitWaitingForRedis(thread, before);
            stop.run();
            started.join(2000);
            if (started.isAlive()) {
                throw new AssertionError(thread + " still runs after the stop");
            }
            return List.copyOf(errors);
        } finally {
            logger.removeHandler(handler);
            // The pause ends by itself (CLIENT UNPAUSE would wait for it too): the next test finds Redis answering.
            RedisTestResource.server().command("PING");
        }
    }

    private static Set<Thread> threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .collect(Collectors.toSet());
    }

    private static Thread awaitWaitingForRedis(String name, Set<Thread> others) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (Thread t : threads(name)) {
                if (!others.contains(t) && waitsForRedis(t)) {
                    return t;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no new " + name + " thread waits for Redis");
    }

    private static boolean waitsForRedis(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().contains("UniBlockingAwait")) {
                return true;
            }
        }
        return false;
    }
}
