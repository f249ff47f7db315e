package io.authsuite.dpop;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Remembers the DPoP proofs this server accepted, shared by its replicas through Redis, for as long as a proof could
 * still pass the {@code iat} check: a proof is accepted once (RFC 9449 §11.1), whichever replica sees it again.
 * Keys: {@code <service prefix>dpop-jti:<SHA-256 of key thumbprint and jti>}, with that expiry.
 */
@ApplicationScoped
public class DpopReplay {

    private final ReactiveRedisDataSource redis;
    private final String prefix;

    public DpopReplay(ReactiveRedisDataSource redis,
                      @ConfigProperty(name = "authsuite.dpop.key-prefix") String servicePrefix) {
        this.redis = redis;
        this.prefix = servicePrefix + "dpop-jti:";
    }

    /** True the first time a proof is seen, false for a replay. */
    public Uni<Boolean> firstUse(DpopProofs.Proof proof, Duration keep) {
        // The jti is the client's choice: keyed with the key's thumbprint, one client cannot spend another's jti.
        String key = prefix + DpopProofs.sha256(proof.jkt() + "|" + proof.jti());
        return redis.value(String.class).setGet(key, "1", new SetArgs().nx().px(keep.toMillis()))
                .map(previous -> previous == null);
    }
}
