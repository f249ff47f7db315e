package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * CORS as a real browser enforces it: a page on an origin web-app registers (http://127.0.0.1:9999, its
 * allowed_origins in the local profile) reads the token endpoint's answers, a page on any other origin does not, and
 * both read discovery and UserInfo's challenge. Chromium makes the preflights itself.
 */
class CrossOriginBrowserIT {

    private static final String SCRIPT = """
            const done = arguments[arguments.length - 1];
            const auth = arguments[0];
            const outcome = p => p.then(r => r.text().then(body => ({status: r.status, body: body,
                                            challenge: r.headers.get('WWW-Authenticate')})))
                                  .catch(e => ({blocked: String(e)}));
            Promise.all([
              outcome(fetch(auth + '/.well-known/openid-configuration')),
              outcome(fetch(auth + '/oauth2/token', {method: 'POST', credentials: 'include',
                  headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'fetch'},
                  body: 'grant_type=refresh_token&client_id=web-app&refresh_token=' + 'B'.repeat(43)})),
              outcome(fetch(auth + '/oauth2/userinfo', {headers: {'Authorization': 'Bearer not-a-token'}})),
            ]).then(r => done({discovery: r[0], token: r[1], userinfo: r[2]}));
            """;

    private static Suite suite;
    private static WebDriver driver;
    private static HttpServer registered;
    private static HttpServer stranger;

    @BeforeAll
    static void start() throws IOException {
        Browsers.assumeAvailable();
        suite = Suite.shared();
        registered = page(9999);
        stranger = page(0);
        driver = Browsers.start(800, 600);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        for (HttpServer server : new HttpServer[] {registered, stranger}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    /** An empty page at http://127.0.0.1:{@code port}/, the origin the scripts run in. */
    private static HttpServer page(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = "<!doctype html><title>app</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> fetchesFrom(HttpServer page) {
        driver.get("http://127.0.0.1:" + page.getAddress().getPort() + "/");
        return (Map<String, Map<String, Object>>) ((JavascriptExecutor) driver).executeAsyncScript(SCRIPT,
                suite.auth.url());
    }

    @Test
    void tokenEndpointWhenPageOnARegisteredOriginThenReadableElsewhereBlocked() {
        Map<String, Map<String, Object>> mine = fetchesFrom(registered);
        assertEquals(400L, mine.get("token").get("status"), mine.toString());
        assertEquals(true, String.valueOf(mine.get("token").get("body")).contains("invalid_grant"), mine.toString());

        Map<String, Map<String, Object>> theirs = fetchesFrom(stranger);
        assertEquals(true, theirs.get("token").containsKey("blocked"), theirs.toString());
    }

    @Test
    void discoveryAndUserinfoWhenPageOnAnyOriginThenReadableWithTheChallenge() {
        Map<String, Map<String, Object>> theirs = fetchesFrom(stranger);
        assertEquals(200L, theirs.get("discovery").get("status"), theirs.toString());
        assertEquals(401L, theirs.get("userinfo").get("status"), theirs.toString());
        assertEquals(true, String.valueOf(theirs.get("userinfo").get("challenge")).contains("invalid_token"),
                theirs.toString());
    }
}
