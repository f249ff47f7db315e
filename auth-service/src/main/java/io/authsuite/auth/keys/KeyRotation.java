package io.authsuite.auth.keys;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every replica, every few seconds: reload the managed key set, rotate when the active key has served its period
 * (only one replica wins the optimistic transaction), and drop previous keys whose tokens have all expired.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);

    private final SigningKeys keys;
    private final AuditLog audit;

    public KeyRotation(SigningKeys keys, AuditLog audit) {
        this.audit = audit;
        this.keys = keys;
    }

    @Scheduled(every = "${auth.keys.reload-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = NotManaged.class)
    void tick() {
        try {
            keys.reload();
            if (keys.ensureNextKey()) {
                LOG.info("Published a next signing key: the key set had none");
            }
            if (keys.rotate(false)) {
                LOG.info("Rotated the signing key on schedule");
                audit.success(AuditTypes.KEY_ROTATED, null, null, Map.of("kid", keys.active().kid(), "by", "schedule"));
            }
            keys.prune();
        } catch (RuntimeException e) {
            LOG.warnf("Key maintenance failed, will retry: %s", e.getMessage());
        }
    }

    /** Skips the job when keys come from files or are generated in memory. */
    @ApplicationScoped
    public static class NotManaged implements Scheduled.SkipPredicate {
        private final SigningKeys keys;

        public NotManaged(SigningKeys keys) {
            this.keys = keys;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !keys.isManaged();
        }
    }
}
