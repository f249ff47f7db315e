package io.authsuite.auth.audit;

import java.util.function.Predicate;

/** Finds the audit event an action of a test caused. */
public final class AuditAssertions {

    private AuditAssertions() {
    }

    /** The newest event of {@code type} that satisfies {@code which}, after writing what waits; fails without one. */
    public static AuditEvent latest(AuditLog audit, String type, Predicate<AuditEvent> which) {
        audit.flush();
        return audit.page(null, 200, new AuditLog.Filter(type, null, null, null, null)).events().stream()
                .filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event as expected"));
    }
}
