package io.authsuite.resourceserver.servicetokens;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.client.reactive.filter.runtime.AbstractOidcClientRequestReactiveFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts this service's own client-credentials token (quarkus-oidc-client's default client, cached until shortly before
 * it expires) on every call of a REST client that registers it, as {@code @OidcClientFilter} does, and fetches a new
 * one for the next call once the other service refused the token in hand ({@link ServiceTokenRefusals}: a retired
 * signing key, a revoked client). The client wrappers retry, so the refused call itself recovers.
 *
 * <p>Why not {@code @OidcClientFilter} with {@code quarkus.rest-client-oidc-filter.refresh-on-unauthorized}: Quarkus
 * detects the 401 with a plain JAX-RS response filter, and the REST client runs such a filter on a worker thread, so
 * every answer of the other service went to the worker pool and back for a status check. This class must not declare
 * {@code refreshOnUnauthorized()} either: Quarkus adds that response filter to every client of a filter class that
 * does.
 */
@Singleton
@Unremovable // registered on the REST clients with @RegisterProvider, never injected there
@Priority(Priorities.AUTHENTICATION)
public class ServiceTokenFilter extends AbstractOidcClientRequestReactiveFilter {

    /** The Authorization header of a refused call, until the next call forces a new token; null otherwise. */
    private final AtomicReference<String> refused = new AtomicReference<>();
    /** The last refused header that a new token replaced: late answers to calls still made with it change nothing. */
    private volatile String replaced;
    /** The longest wait between two forced fetches ({@code authsuite.service-tokens.forced-fetch-backoff-max}). */
    private final long maxWaitNanos;
    /** The wait before the next forced fetch may come: a tenth of the longest at first, doubling while refused. */
    private volatile long waitNanos;
    /** When the last forced fetch was (System.nanoTime), set so that the first one may come at once. */
    private volatile long forcedAt;

    public ServiceTokenFilter(@ConfigProperty(name = "authsuite.service-tokens.forced-fetch-backoff-max",
            defaultValue = "10s") Duration maxWait) {
        this.maxWaitNanos = maxWait.toNanos();
        this.forcedAt = System.nanoTime() - 3 * maxWaitNanos;
    }

    /** The other service answered 401 to a call made with {@code authorization}. */
    void refused(String authorization) {
        if (authorization != null && !authorization.equals(replaced)) {
            refused.set(authorization);
        }
    }

    /**
     * Forces one fetch after a refusal; the fetched tokens replace the cached ones for every later call. Calls already
     * sent with the refused token may be refused too: those answers force nothing more. When the fetched token is
     * refused again (the other service does not know this client or expects another audience, or the token came from
     * an auth replica that had not yet loaded a key change), the next forced fetch waits: a tenth of
     * {@code forced-fetch-backoff-max} (1 s), doubling up to all of it, so that a refusal of every token does not turn
     * each call into a token request to auth-service. After a quiet spell of twice the longest wait, a refusal forces a
     * fetch at once again.
     */
    @Override
    protected boolean isForceNewTokens() {
        String refusedNow = refused.get();
        if (refusedNow != null) {
            long now = System.nanoTime();
            long since = now - forcedAt;
            if (since >= waitNanos) {
                // Before the swap: a late 401 for the same token, landing right after it, must not ask again.
                replaced = refusedNow;
                if (refused.compareAndSet(refusedNow, null)) {
                    waitNanos = since > 2 * maxWaitNanos ? maxWaitNanos / 10
                            : Math.min(maxWaitNanos, Math.max(maxWaitNanos / 10, 2 * waitNanos));
                    forcedAt = now;
                    return true;
                }
            }
        }
        return super.isForceNewTokens();
    }
}
