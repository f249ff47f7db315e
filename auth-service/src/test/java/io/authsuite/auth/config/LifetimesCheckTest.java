package io.authsuite.auth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifetimesCheckTest {

    @Test
    void problemsWhenDefaultsThenNone() {
        Map<String, Duration> defaults = new LinkedHashMap<>();
        defaults.put("access-token.ttl", Duration.ofMinutes(15));
        defaults.put("authorization-code.pushed-request-ttl", Duration.ofSeconds(60));
        defaults.put("device.ttl", Duration.ofMinutes(10));
        assertEquals(List.of(), SettingsCheck.lifetimeProblems(defaults, 5));
    }

    @Test
    void problemsWhenALifetimeUnderOneSecondOrNoPollingIntervalThenEachNamed() {
        Map<String, Duration> lifetimes = new LinkedHashMap<>();
        lifetimes.put("access-token.ttl", Duration.ofSeconds(1));
        lifetimes.put("authorization-code.pushed-request-ttl", Duration.ofMillis(500));
        lifetimes.put("device.ttl", Duration.ZERO);
        lifetimes.put("id-token.ttl", Duration.ofSeconds(-5));
        assertEquals(List.of(
                "auth.authorization-code.pushed-request-ttl must be at least one second, not PT0.5S",
                "auth.device.ttl must be at least one second, not PT0S",
                "auth.id-token.ttl must be at least one second, not PT-5S",
                "auth.device.interval must be at least 1 (seconds), not 0"), SettingsCheck.lifetimeProblems(lifetimes, 0));
    }
}
