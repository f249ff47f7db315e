package io.authsuite.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HttpLatencyBucketsTest {

    private static double bucket(String scrape, String le) {
        var m = Pattern.compile("^http_server_requests_seconds_bucket\\{[^}]*le=\"" + Pattern.quote(le) + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertTrue(m.find(), "no bucket le=" + le + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void httpServerTimerWhenRecordedThenCumulativeBucketsAndOtherTimersWithout() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new HttpLatencyBuckets());
        Timer http = Timer.builder("http.server.requests").tag("uri", "/oauth2/token").register(registry);
        http.record(Duration.ofMillis(7));
        http.record(Duration.ofMillis(300));
        Timer.builder("redis.commands.duration").register(registry).record(Duration.ofMillis(7));

        String scrape = registry.scrape();
        assertEquals(0, bucket(scrape, "0.005"));
        assertEquals(1, bucket(scrape, "0.01"));
        assertEquals(1, bucket(scrape, "0.25"));
        assertEquals(2, bucket(scrape, "0.5"));
        assertEquals(2, bucket(scrape, "+Inf"));
        assertEquals(HttpLatencyBuckets.BOUNDS.length + 1,
                scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket")).count());
        assertFalse(scrape.contains("redis_commands_duration_seconds_bucket"), scrape);
    }
}
