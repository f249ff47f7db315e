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
 * Refuses to start with a lifetime that cannot be one. Lifetimes go out in whole seconds ({@code expires_in}: RFC 6749
 * §5.1, RFC 9126 §2.2, RFC 8628 §3.2), where RFC 9126 and RFC 8628 ask for a positive number; under a second, the
 * server would announce 0 and Redis would refuse to keep the entry, failing every such request with a 500 instead
 * of the start with a message. The device flow's polling interval below 1 would invite clients to poll as fast as
 * they can.
 */
@ApplicationScoped
public class LifetimesCheck {

    void check(@Observes StartupEvent event, AuthConfig config) {
        Map<String, Duration> lifetimes = new LinkedHashMap<>();
        lifetimes.put("access-token.ttl", config.accessToken().ttl());
        lifetimes.put("id-token.ttl", config.idToken().ttl());
        lifetimes.put("refresh-token.ttl", config.refreshToken().ttl());
        lifetimes.put("authorization-code.ttl", config.authorizationCode().ttl());
        lifetimes.put("authorization-code.request-ttl", config.authorizationCode().requestTtl());
        lifetimes.put("authorization-code.pushed-request-ttl", config.authorizationCode().pushedRequestTtl());
        lifetimes.put("device.ttl", config.device().ttl());
        List<String> problems = problems(lifetimes, config.device().interval());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + "; refusing to start");
        }
    }

    /** What is wrong, one entry per setting: {@code lifetimes} by their name under {@code auth.}. */
    static List<String> problems(Map<String, Duration> lifetimes, int deviceInterval) {
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
}
