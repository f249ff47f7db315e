package io.authsuite.auth.audit;

import io.authsuite.auth.web.Addresses;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives each request what its audit events (and log lines) name it by: the caller's address as the trusted-proxy
 * settings resolve it, and a request id, the caller's {@code X-Request-Id} when it looks like one, else a new one,
 * echoed in the answer so a support request can quote it.
 */
@ApplicationScoped
public class AuditRequests {

    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** 128 random bits as hex: an id to quote, not a secret, so no SecureRandom on every request. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(rc -> {
            String given = rc.request().getHeader(HEADER);
            // A caller-chosen id goes into log lines: only a short, plain one is taken (no forged log structure).
            String id = given != null && SAFE_ID.matcher(given).matches() ? given : newId();
            MDC.put(AuditLog.REQUEST_ID, id);
            MDC.put(AuditLog.ADDRESS, Addresses.of(rc.request()));
            rc.response().putHeader(HEADER, id);
            rc.next();
        });
    }
}
