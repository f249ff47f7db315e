package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsuite.testing.RedisServer;
import io.authsuite.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian's package) scraping the services of a suite every second, labelled the way the
 * Prometheus Operator labels what a ServiceMonitor scrapes ({@code job} = the service, {@code namespace},
 * {@code pod}), so the dashboard's and the alerts' queries run unchanged. Without it the calling test is skipped,
 * saying so.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));

    private final Process process;
    private final String url;

    private PrometheusServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static void assumeAvailable() {
        boolean available = Files.isExecutable(BINARY);
        String missing = "no Prometheus; install Debian's prometheus package (.ci/run does)";
        // CI installs it: there a missing Prometheus fails the run rather than skipping what it tests.
        assertTrue(available || !ToolsRequired.inThisRun(), missing);
        assumeTrue(available, "skipped: " + missing);
    }

    /** Starts Prometheus scraping each service's /q/metrics, and waits until every target has been scraped. */
    static PrometheusServer scraping(Map<String, ServiceProcess> services) throws Exception {
        assumeAvailable();
        Path dir = Files.createDirectories(Suite.WORK.resolve("prometheus-" + System.nanoTime()));
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                """);
        for (Map.Entry<String, ServiceProcess> job : services.entrySet()) {
            String name = job.getKey();
            config.append("""
                      - job_name: %s
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                            labels: {namespace: authsuite, pod: %s-0}
                    """.formatted(name, job.getValue().port(), name));
        }
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = RedisServer.freePort();
        Process process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + dir.resolve("prometheus.yml").toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
        try {
            server.awaitTargetsUp(services.size(), Duration.ofSeconds(30));
        } catch (Throwable e) {
            // Whatever ends the wait (RestAssured throws checked exceptions undeclared), Prometheus must not outlive it.
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitTargetsUp(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + process.exitValue());
            }
            try {
                JsonPath targets = given().get(url + "/api/v1/targets?state=active").then().extract().jsonPath();
                List<String> health = targets.getList("data.activeTargets.health");
                last = String.valueOf(health);
                if (health != null && health.size() == count && health.stream().allMatch("up"::equals)) {
                    return;
                }
            } catch (Exception notYet) {
                // Not listening yet: RestAssured throws the ConnectException unchecked, though it is not one.
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not scrape every service within " + timeout + ": " + last);
    }

    /**
     * {@code /api/v1/query_range}: the answer's {@code data.result} (one entry per series, each with {@code metric}
     * and {@code values}), or an AssertionError naming the query and Prometheus' error when it does not parse.
     */
    List<Map<String, Object>> queryRange(String expr, Instant start, Instant end, Duration step) {
        JsonPath answer = given().queryParam("query", expr)
                .queryParam("start", start.getEpochSecond()).queryParam("end", end.getEpochSecond())
                .queryParam("step", step.toSeconds())
                .get(url + "/api/v1/query_range").then().extract().jsonPath()
                // Sample times are epoch seconds with decimals: a float would round them by minutes.
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        if (!"success".equals(answer.getString("status"))) {
            throw new AssertionError("Prometheus refused " + expr + ": " + answer.getString("errorType") + ": "
                    + answer.getString("error"));
        }
        return answer.getList("data.result");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
