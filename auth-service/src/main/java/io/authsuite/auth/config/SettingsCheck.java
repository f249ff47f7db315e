package io.authsuite.auth.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start with a setting that cannot be one, naming each; a fleet that serves nobody names nothing.
 * <ul>
 * <li>{@code auth.limits}: a count below 1 refuses every request (a token rate of 0 answers 429 to every client), and
 * a window or wait that is not positive breaks the arithmetic the throttles divide by.</li>
 * <li>Lifetimes go out in whole seconds ({@code expires_in}: RFC 6749 §5.1, RFC 9126 §2.2, RFC 8628 §3.2), where RFC
 * 9126 and RFC 8628 ask for a positive number; under a second, the server would announce 0 and Redis would refuse to
 * keep the entry, failing every such request with a 500. The device flow's polling interval below 1 would invite
 * clients to poll as fast as they can.</li>
 * </ul>
 */
@ApplicationScoped
public class SettingsCheck {

    void check(@Observes StartupEvent event, AuthConfig config) {
        Map<String, Duration> lifetimes = new LinkedHashMap<>();
        lifetimes.put("access-token.ttl", config.accessToken().ttl());
        lifetimes.put("id-token.ttl", config.idToken().ttl());
        lifetimes.put("refresh-token.ttl", config.refreshToken().ttl());
        lifetimes.put("authorization-code.ttl", config.authorizationCode().ttl());
        lifetimes.put("authorization-code.request-ttl", config.authorizationCode().requestTtl());
        lifetimes.put("authorization-code.pushed-request-ttl", config.authorizationCode().pushedRequestTtl());
        lifetimes.put("device.ttl", config.device().ttl());
        List<String> problems = new ArrayList<>(limitProblems(config.limits()));
        problems.addAll(lifetimeProblems(lifetimes, config.device().interval()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + "; refusing to start");
        }
    }

    /** What is wrong, one entry per setting: {@code lifetimes} by their name under {@code auth.}. */
    static List<String> lifetimeProblems(Map<String, Duration> lifetimes, int deviceInterval) {
        List<String> problems = new ArrayList<>();
        lifetimes.forEach((name, lifetime) -> {
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("auth." + name + " must be at least one second, not " + lifetime);
            }
        });
        if (deviceInterval < 1) {
            problems.add("auth.device.interval must be at least 1 (seconds), not " + deviceInterval);
        }
        return problems;
    }

    /** What is wrong with {@code limits}, one entry per setting. */
    public static List<String> limitProblems(AuthConfig.Limits limits) {
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
