package io.authsuite.auth.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start with an {@code auth.limits} setting that cannot be one: a count below 1 refuses every request (a
 * token rate of 0 answers 429 to every client), and a window or wait that is not positive breaks the arithmetic the
 * throttles divide by. A start that fails names the setting; a fleet that serves nobody names nothing.
 */
@ApplicationScoped
public class LimitsCheck {

    void check(@Observes StartupEvent event, AuthConfig config) {
        List<String> problems = problems(config.limits());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + "; refusing to start");
        }
    }

    /** What is wrong with {@code limits}, one entry per setting. */
    public static List<String> problems(AuthConfig.Limits limits) {
        List<String> problems = new ArrayList<>();
        atLeastOne(problems, "client-auth-failures-before-backoff", limits.clientAuthFailuresBeforeBackoff());
        atLeastOne(problems, "client-auth-failures-per-address", limits.clientAuthFailuresPerAddress());
        atLeastOne(problems, "device-authorizations-per-address", limits.deviceAuthorizationsPerAddress());
        atLeastOne(problems, "token-requests-per-minute", limits.tokenRequestsPerMinute());
        positive(problems, "client-auth-max-backoff", limits.clientAuthMaxBackoff());
        positive(problems, "window", limits.window());
        positive(problems, "rate-sync-interval", limits.rateSyncInterval());
        return problems;
    }

    private static void atLeastOne(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add("auth.limits." + name + " must be at least 1, not " + value);
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add("auth.limits." + name + " must be a positive duration, not " + value);
        }
    }
}
