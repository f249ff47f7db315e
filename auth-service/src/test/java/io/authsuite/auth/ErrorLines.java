package io.authsuite.auth;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What one logger writes at ERROR while open, for tests of what a replica says when it stops; and the background
 * threads such tests stop in the middle of a Redis call.
 */
public final class ErrorLines extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    public ErrorLines(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            messages.add(record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }

    /** The live threads of that name. */
    public static Set<Thread> threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .collect(Collectors.toSet());
    }

    /** The thread of that name, not among {@code others}, once it waits for a Redis reply. */
    public static Thread awaitWaitingForRedis(String name, Set<Thread> others) throws InterruptedException {
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
