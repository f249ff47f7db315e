package io.authsuite.redis;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * Tells a Redis that is briefly out of reach (down, failing over, saturated) from a defect. The first is a passing
 * condition for the caller, answered 503 with Retry-After (RFC 9110 §15.6.4); the second stays a 500.
 */
public final class RedisFailures {

    /**
     * Error replies of a Redis that is not serving writes right now: a former primary demoted to replica during a
     * failover (READONLY), a server still loading its data (LOADING), a replica cut off from its primary
     * (MASTERDOWN), a cluster moving slots (TRYAGAIN, CLUSTERDOWN), a primary that has lost its replicas
     * (NOREPLICAS, min-replicas-to-write), and a full Redis refusing writes rather than evicting data (OOM, maxmemory
     * with noeviction): the last needs an operator, but it is still the server that cannot serve, not the request.
     */
    private static final List<String> PASSING_REPLIES = List.of("READONLY", "LOADING", "MASTERDOWN", "TRYAGAIN",
            "CLUSTERDOWN", "NOREPLICAS", "OOM");

    private RedisFailures() {
    }

    /** True when {@code failure}, or one of its causes, says Redis cannot be reached or cannot serve right now. */
    public static boolean isUnavailable(Throwable failure) {
        if (isUnanswered(failure)) {
            return true;
        }
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 12; t = t.getCause(), depth++) {
            // RedisConnectException (no endpoint answers) is not public: known by name.
            if (t instanceof DurableWrites.NotReplicatedException || t instanceof ConnectException
                    || t.getClass().getSimpleName().equals("RedisConnectException")
                    || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && PASSING_REPLIES.stream().anyMatch(message::startsWith)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code failure}, or one of its causes, says a command may have reached Redis without its answer coming
     * back: no answer in time, or the connection lost. Whether the command ran is unknown. (A refusal, or a connection
     * never made, says it did not run.)
     */
    public static boolean isUnanswered(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 12; t = t.getCause(), depth++) {
            if (t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            String message = t.getMessage();
            // Vert.x reports a connection the server dropped (a killed primary) by message only.
            if (message != null && (message.startsWith("Connection is closed") || message.startsWith("Connection closed")
                    || message.equals("CONNECTION_CLOSED") || message.startsWith("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code failure}, or one of its causes, is a {@code WAIT} refused because the server was made a replica
     * after the writes before it (a hand-over of the primary role, see k8s/components/redis-sentinel/redis-prestop.sh,
     * or a demoted primary): those writes ran, and whether they survive is not known.
     */
    public static boolean isDemoted(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 12; t = t.getCause(), depth++) {
            String message = t.getMessage();
            if (message != null && message.contains("WAIT cannot be used with replica instances")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, for a one-line log without the stack. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < 12; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
