package io.authsuite.auth;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Remembers every secret the tests of this module handle (client secrets, passwords, and every token, secret and
 * session cookie the server hands out), in {@code target/leak-watch/secrets.txt}, so that {@code LeakScanIT} can check
 * that none of them ever reached a log line (issue 15). The server logs to {@code target/leak-watch/} in tests.
 */
public final class LeakWatch implements Filter {

    public static final Path DIR = Path.of("target", "leak-watch");
    public static final Path SECRETS = DIR.resolve("secrets.txt");

    /** Response members that carry something secret (RFC 6749, 7591, 7592, 8628). */
    private static final List<String> SECRET_MEMBERS = List.of("access_token", "refresh_token", "id_token",
            "client_secret", "registration_access_token", "initial_access_token", "device_code");
    private static final List<String> SECRET_COOKIES = List.of("__Host-authsuite_rt", "__Host-authsuite_session",
            "authsuite_session");
    /** Shorter values are test inputs like "wrong-1", which could appear in a log by chance of wording. */
    private static final int MIN_LENGTH = 16;

    private static boolean installed;

    private LeakWatch() {
    }

    /**
     * Installs the filter once per test JVM and records the secrets the tests configured. Called before each start of
     * the server under test, it first moves the previous start's log aside: the log handler truncates its file.
     */
    public static synchronized void install(Iterable<String> configuredSecrets) {
        Path log = DIR.resolve("quarkus.log");
        if (Files.exists(log)) {
            try {
                Files.move(log, DIR.resolve("quarkus-" + System.nanoTime() + ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        configuredSecrets.forEach(LeakWatch::record);
        if (!installed) {
            RestAssured.filters(new LeakWatch());
            installed = true;
        }
    }

    public static synchronized void record(String value) {
        if (value == null || value.length() < MIN_LENGTH) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(SECRETS, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        // A repeated parameter comes as a list, whatever the map's declared type says.
        Map<String, ?> form = request.getFormParams();
        for (String name : List.of("password", "client_secret", "refresh_token", "token", "subject_token")) {
            Object value = form.get(name);
            if (value instanceof Iterable<?> values) {
                values.forEach(v -> record(String.valueOf(v)));
            } else if (value != null) {
                record(String.valueOf(value));
            }
        }
        String authorization = request.getHeaders().getValue("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
                record(java.net.URLDecoder.decode(pair.substring(pair.indexOf(':') + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A deliberately malformed header of a test: nothing to remember.
            }
        } else if (authorization != null && authorization.indexOf(' ') > 0) {
            record(authorization.substring(authorization.indexOf(' ') + 1));
        }
        Response answer = context.next(request, response);
        String type = answer.getContentType();
        if (type != null && type.contains("json")) {
            try {
                JsonPath json = answer.jsonPath();
                for (String member : SECRET_MEMBERS) {
                    Object value = json.get(member);
                    if (value instanceof String s) {
                        record(s);
                    }
                }
            } catch (RuntimeException e) {
                // Not an object (a list, or a deliberately broken body): nothing to remember.
            }
        }
        for (String cookie : SECRET_COOKIES) {
            record(answer.getCookie(cookie));
        }
        return answer;
    }
}
