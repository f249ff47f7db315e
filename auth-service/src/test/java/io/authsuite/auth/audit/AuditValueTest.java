package io.authsuite.auth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuditValueTest {

    @Test
    void cleanWhenValueHoldsSeparatorsOrBidiOverridesThenEachBecomesReplacementCharacter() {
        assertEquals("alice\uFFFDadmin\uFFFD\uFFFDx", AuditLog.clean("alice\u2028admin\u202E\u0085x"));
        assertEquals("evil\uFFFDgnp.exe", AuditLog.clean("evil\u2066gnp.exe"));
        assertEquals("plain-client_1", AuditLog.clean("plain-client_1"));
        assertNull(AuditLog.clean(null));
    }

    @Test
    void cleanWhenValueLongerThanTheLimitThenCutAndSaysSo() {
        String kept = AuditLog.clean("x".repeat(10_000));
        assertEquals(AuditLog.MAX_VALUE + "…(cut)".length(), kept.length());
        assertTrue(kept.endsWith("…(cut)"));
    }
}
