package io.authsuite.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Cumulative latency buckets for {@code http.server.requests}, so that Prometheus can compute a p99 across the
 * replicas ({@code histogram_quantile} over {@code http_server_requests_seconds_bucket}, the dashboard's latency
 * panel). Quarkus publishes only the count, sum and max otherwise. Eleven fixed bounds, chosen around what these
 * services answer in (a token in a few milliseconds, an order in tens), rather than Micrometer's percentile histogram,
 * which adds some seventy buckets to every uri, method and status.
 */
@Singleton
public class HttpLatencyBuckets implements MeterFilter {

    static final Duration[] BOUNDS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)};
    private static final double[] NANOS = java.util.Arrays.stream(BOUNDS).mapToDouble(Duration::toNanos).toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!"http.server.requests".equals(id.getName())) {
            return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(NANOS).build().merge(config);
    }
}
