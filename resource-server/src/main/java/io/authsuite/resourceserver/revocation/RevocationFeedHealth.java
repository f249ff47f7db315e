package io.authsuite.resourceserver.revocation;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: without the revocation feed this replica could accept revoked tokens. */
@Readiness
@ApplicationScoped
public class RevocationFeedHealth implements HealthCheck {

    private final DenyList denyList;

    public RevocationFeedHealth(DenyList denyList) {
        this.denyList = denyList;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revocation-feed")
                .status(denyList.isConnected())
                .withData("entries", denyList.size())
                .withData("lastSync", denyList.lastSync().toString())
                .build();
    }
}
