package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/**
 * The Grafana dashboard of k8s/components/monitoring against a real Prometheus that scraped the three services while
 * they worked: every query of every panel must parse and have data once tokens were issued and
 * refused, people signed in, a refresh token was reused, tokens were revoked and orders placed. The panels are drawn
 * from Prometheus' answers ({@link DashboardPage}) and saved as {@code target/screenshots/dashboard.png} in headless
 * Chromium, the picture in the README.
 */
@FleetSuite
class DashboardIT {

    private static final Path DASHBOARD = Suite.ROOT.resolve("k8s/components/monitoring/authsuite-dashboard.json");

    private static Suite suite;

    @BeforeAll
    static void start() {
        PrometheusServer.assumeAvailable();
        Browsers.assumeAvailable();
        // Its own suite: the wrong client secret and the reused refresh token below must not throttle or revoke
        // anything another test relies on.
        suite = Suite.startPrivate();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static int token(String user, String secret, String scope) {
        return given().auth().preemptive().basic(user, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", scope)
                .post(suite.auth.url() + "/oauth2/token").statusCode();
    }

    private static int refresh(String refreshToken) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", refreshToken)
                .post(suite.auth.url() + "/oauth2/token").statusCode();
    }

    /** Rounds of ordinary and refused traffic, a few seconds apart so that each counter has a slope to draw. */
    private static void work() throws Exception {
        String sku = suite.newItem("DASHBOARD", 1_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 5 + 3 * round; i++) {
                assertEquals(200, token("demo-cli", "demo-cli-secret", "orders:read"));
            }
            String orderToken = suite.demoCliToken("orders:write orders:read inventory:read");
            for (int i = 0; i < 2 + round; i++) {
                given().auth().oauth2(orderToken).contentType("application/json").body(line)
                        .post(suite.orders.url() + "/orders").then().statusCode(201);
                given().auth().oauth2(orderToken).get(suite.inventory.url() + "/inventory/items/" + sku)
                        .then().statusCode(200);
            }
            // Refused without any client authentication failing: an unknown refresh token, an unknown grant type.
            assertEquals(400, refresh("not-a-refresh-token-" + round));
            assertEquals(400, given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "password").formParam("client_id", "web-app")
                    .post(suite.auth.url() + "/oauth2/token").statusCode());
            given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                    .contentType("application/x-www-form-urlencoded").formParam("token", orderToken)
                    .post(suite.auth.url() + "/oauth2/revoke").then().statusCode(200);
            if (round == 1 || round == 4) {
                JsonPath signIn = suite.signIn("alice", "alice-password", "openid orders:read");
                String first = signIn.getString("refresh_token");
                assertEquals(200, refresh(first));
                // RFC 9700 §4.14.2: the rotated-out token again is a reuse; its family is revoked.
                assertEquals(400, refresh(first));
            }
            if (round == 3) {
                assertEquals(401, token("demo-cli", "not-the-secret", "orders:read"));
            }
            Thread.sleep(2500);
        }
    }

    @Test
    void servicesWorkedThenEveryDashboardQueryParsesAndHasData() throws Exception {
        Map<String, io.authsuite.testing.ServiceProcess> jobs = new LinkedHashMap<>();
        jobs.put("auth-service", suite.auth);
        jobs.put("orders-service", suite.orders);
        jobs.put("inventory-service", suite.inventory);
        JsonPath dashboard = JsonPath.from(DASHBOARD.toFile());
        try (PrometheusServer prometheus = PrometheusServer.scraping(jobs)) {
            Instant from = Instant.now();
            work();
            Thread.sleep(3000);
            Instant to = Instant.now();

            List<DashboardPage.Panel> panels = new ArrayList<>();
            List<String> empty = new ArrayList<>();
            List<Map<String, Object>> definitions = dashboard.getList("panels");
            for (Map<String, Object> definition : definitions) {
                String title = (String) definition.get("title");
                List<DashboardPage.Series> series = new ArrayList<>();
                for (Object t : (List<?>) definition.get("targets")) {
                    Map<?, ?> target = (Map<?, ?>) t;
                    int before = series.size();
                    for (Map<String, Object> result : prometheus.queryRange((String) target.get("expr"),
                            from, to, Duration.ofSeconds(1))) {
                        @SuppressWarnings("unchecked")
                        Map<String, String> labels = (Map<String, String>) result.get("metric");
                        List<?> values = (List<?>) result.get("values");
                        double[][] points = new double[values.size()][];
                        for (int i = 0; i < points.length; i++) {
                            List<?> v = (List<?>) values.get(i);
                            points[i] = new double[] {((Number) v.get(0)).doubleValue(),
                                Double.parseDouble(v.get(1).toString())};
                        }
                        series.add(new DashboardPage.Series(
                                DashboardPage.legend((String) target.get("legendFormat"), labels), points));
                    }
                    if (series.subList(before, series.size()).stream()
                            .allMatch(s -> java.util.Arrays.stream(s.points()).allMatch(p -> Double.isNaN(p[1])))) {
                        empty.add(title + ": " + target.get("expr"));
                    }
                }
                Map<?, ?> grid = (Map<?, ?>) definition.get("gridPos");
                Map<?, ?> defaults = (Map<?, ?>) ((Map<?, ?>) definition.get("fieldConfig")).get("defaults");
                panels.add(new DashboardPage.Panel(title, (String) defaults.get("unit"),
                        ((Number) grid.get("x")).intValue(), ((Number) grid.get("y")).intValue(),
                        ((Number) grid.get("w")).intValue(), ((Number) grid.get("h")).intValue(), series));
            }

            Path page = Path.of("target", "dashboard", "dashboard.html").toAbsolutePath();
            Files.createDirectories(page.getParent());
            Files.writeString(page, DashboardPage.html(dashboard.getString("title"), panels, from, to));
            WebDriver browser = Browsers.start(DashboardPage.WIDTH + 40, DashboardPage.height(panels) + 240);
            try {
                browser.get(page.toUri().toString());
                Browsers.screenshot(browser, "dashboard");
            } finally {
                browser.quit();
            }
            assertTrue(empty.isEmpty(), "queries without data after the services worked: " + empty);
        }
    }
}
