package io.authsuite.auth.crypto;

import io.authsuite.auth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness names the provider that signs and the active key, so a slow fallback is visible from outside. */
@Readiness
@ApplicationScoped
public class SigningHealth implements HealthCheck {

    private final CryptoProvider crypto;
    private final SigningKeys keys;

    public SigningHealth(CryptoProvider crypto, SigningKeys keys) {
        this.crypto = crypto;
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("signing").up()
                .withData("provider", crypto.signingProvider())
                .withData("kid", keys.active().kid());
        if (crypto.fallbackReason() != null) {
            builder.withData("fallback", crypto.fallbackReason());
        }
        if (crypto.library() != null) {
            builder.withData("library", crypto.library());
        }
        if (crypto.loading()) {
            builder.withData("loading", "AmazonCorrettoCryptoProvider");
        }
        return builder.build();
    }
}
