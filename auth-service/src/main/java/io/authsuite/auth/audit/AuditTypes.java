package io.authsuite.auth.audit;

import java.util.Set;

/** The event types of the audit trail; {@code GET /admin/events?type=} takes these names. */
public final class AuditTypes {

    public static final String SIGN_IN = "sign_in";
    public static final String CONSENT = "consent";
    public static final String TOKEN_ISSUED = "token_issued";
    public static final String REFRESH_ROTATED = "refresh_rotated";
    public static final String REFRESH_REUSE = "refresh_reuse_detected";
    public static final String REVOCATION = "revocation";
    public static final String LOGOUT_EVERYWHERE = "logout_everywhere";
    public static final String DEVICE_DECISION = "device_decision";
    public static final String KEY_ROTATED = "key_rotated";
    public static final String KEY_RETIRED = "key_retired";
    public static final String ADMIN_USER_CHANGE = "admin_user_change";
    public static final String ADMIN_CLIENT_CHANGE = "admin_client_change";
    public static final String CLIENT_AUTHENTICATION = "client_authentication";
    public static final String RATE_LIMITED = "rate_limited";

    public static final Set<String> ALL = Set.of(SIGN_IN, CONSENT, TOKEN_ISSUED, REFRESH_ROTATED, REFRESH_REUSE,
            REVOCATION, LOGOUT_EVERYWHERE, DEVICE_DECISION, KEY_ROTATED, KEY_RETIRED, ADMIN_USER_CHANGE,
            ADMIN_CLIENT_CHANGE, CLIENT_AUTHENTICATION, RATE_LIMITED);

    private AuditTypes() {
    }
}
