package io.authsuite.auth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsCheckTest {

    private record Limits(int clientAuthFailuresBeforeBackoff, Duration clientAuthMaxBackoff,
                          int clientAuthFailuresPerAddress, Duration window, int deviceAuthorizationsPerAddress,
                          int tokenRequestsPerMinute, Duration rateSyncInterval) implements AuthConfig.Limits {
    }

    @Test
    void problemsWhenDefaultsThenNone() {
        assertEquals(List.of(), SettingsCheck.limitProblems(new Limits(5, Duration.ofMinutes(5), 50, Duration.ofMinutes(5),
                30, 6000, Duration.ofMillis(200))));
    }

    @Test
    void problemsWhenACountBelowOneOrADurationNotPositiveThenEachNamed() {
        List<String> problems = SettingsCheck.limitProblems(new Limits(1, Duration.ZERO, 0, Duration.ofSeconds(-1), 1, 0,
                Duration.ofMillis(200)));
        assertEquals(List.of(
                "auth.limits.client-auth-failures-per-address must be at least 1, not 0",
                "auth.limits.token-requests-per-minute must be at least 1, not 0",
                "auth.limits.client-auth-max-backoff must be a positive duration, not PT0S",
                "auth.limits.window must be a positive duration, not PT-1S"), problems);
    }
}
