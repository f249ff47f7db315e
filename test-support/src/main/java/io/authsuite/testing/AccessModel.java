package io.authsuite.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The README's access table as an executable check for one resource service. A service test declares its rows
 * (the README cells verbatim, plus what they mean) and this class proves, request by request, that the service
 * enforces exactly that: the README rows of the service equal the declared rows, the declared requests cover every
 * operation of the service's OpenAPI document, and for each request the refusals (401 for a missing, malformed,
 * expired, forged or foreign token; 403 for a missing scope or caller condition; 404 for another person's
 * resource) and the success of the least-privileged token allowed.
 */
public final class AccessModel {

    /** Who may call, beyond holding the scope: the README's "and" column. */
    public enum Caller {
        /** any token holding the scope, of a person or a service */
        ANYONE,
        /** a person: the request acts on the person's own resources */
        PERSON,
        /** the resource's owner or a person with role {@code admin}; anyone else is told it does not exist */
        OWNER_OR_ADMIN,
        /** a person with role {@code admin} */
        ADMIN,
        /** a service token: a client-credentials token whose {@code sub} is its {@code client_id} */
        SERVICE
    }

    /** A concrete request. */
    public record Request(String path, String body, Map<String, String> headers) {
        public static Request of(String path) {
            return new Request(path, null, Map.of());
        }

        public static Request json(String path, String body) {
            return new Request(path, body, Map.of());
        }

        public Request withHeader(String name, String value) {
            Map<String, String> all = new HashMap<>(headers);
            all.put(name, value);
            return new Request(path, body, Map.copyOf(all));
        }
    }

    /**
     * One operation of a row: {@code template} as the OpenAPI document names it; {@code prepare} builds a fresh
     * request (with fresh fixtures) for a resource owned by the given subject; {@code allowed} is the status the
     * least-privileged allowed token gets, {@code check} anything more it must see.
     */
    public record Call(String method, String template, Function<String, Request> prepare, int allowed,
                       BiConsumer<String, ValidatableResponse> check) {
        public static Call of(String method, String template, Function<String, Request> prepare, int allowed) {
            return new Call(method, template, prepare, allowed, (owner, response) -> {
            });
        }

        public Call then(Consumer<ValidatableResponse> more) {
            return new Call(method, template, prepare, allowed, (owner, response) -> more.accept(response));
        }

        /** More checks of the allowed response that need the subject the request acted for. */
        public Call then(BiConsumer<String, ValidatableResponse> more) {
            return new Call(method, template, prepare, allowed, more);
        }
    }

    /** One row of the README table: its cells verbatim, and the operations it covers. */
    public record Rule(String endpoints, String scope, String and, Caller caller, List<Call> calls) {
        public static Rule of(String endpoints, String scope, String and, Caller caller, Call... calls) {
            return new Rule(endpoints, scope, and, caller, List.of(calls));
        }
    }

    private static final String README_SECTION = "## Access model of the APIs";
    private static final String PERSON_CLIENT = "web-app";
    private static final String SERVICE_CLIENT = "some-service";

    private final String audience;
    private final String foreignAudience;
    private final Set<String> scopes;
    private final List<Rule> rules;

    /**
     * @param audience        the service under test (its {@code aud} and its challenge realm)
     * @param foreignAudience another service of the suite, whose tokens this one must refuse
     * @param scopes          every scope the service knows, to build tokens that lack only the needed one
     */
    public AccessModel(String audience, String foreignAudience, Set<String> scopes, List<Rule> rules) {
        this.audience = audience;
        this.foreignAudience = foreignAudience;
        this.scopes = Set.copyOf(scopes);
        this.rules = List.copyOf(rules);
    }

    /** The README rows whose endpoints name {@code pathPrefix} are exactly the declared rows, in order. */
    public void assertReadmeMatches(Path readme, String pathPrefix) {
        List<String> expected = rules.stream()
                .map(r -> r.endpoints() + " | `" + r.scope() + "` | " + r.and())
                .map(String::strip)
                .toList();
        List<String> documented = readmeRows(readme).stream()
                .filter(cells -> cells.get(0).contains(pathPrefix))
                .map(cells -> String.join(" | ", cells).strip())
                .toList();
        assertEquals(expected, documented, "README access table rows for " + pathPrefix);
    }

    /** Every operation of the OpenAPI document is declared by exactly one rule, and nothing else is. */
    public void assertCoversOpenApi(String openApiJson) {
        Map<String, Map<String, Object>> paths = JsonPath.from(openApiJson).getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m))
                .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
        List<String> declaredList = rules.stream().flatMap(r -> r.calls().stream())
                .map(c -> c.method() + " " + c.template()).toList();
        Set<String> declared = new TreeSet<>(declaredList);
        assertEquals(declared.size(), declaredList.size(), "an operation is declared twice: " + declaredList);
        assertEquals(documented, declared, "operations of the API vs. the access table");
    }

    /** Runs every check of every declared operation. */
    public void assertEnforced() {
        for (Rule rule : rules) {
            for (Call call : rule.calls()) {
                String where = call.method() + " " + call.template();
                try {
                    enforce(rule, call);
                } catch (AssertionError e) {
                    throw new AssertionError(where + " (" + rule.caller() + ", scope " + rule.scope() + "): "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** What a resource service that accepts DPoP-bound tokens offers (RFC 9449 §7.1). */
    public static final String DPOP_CHALLENGE = "DPoP algs=\"ES256 PS256 RS256\"";

    private void enforce(Rule rule, Call call) {
        String owner = "person-" + UUID.randomUUID();
        String needed = rule.scope();
        String[] all = scopes.toArray(String[]::new);
        String[] allButNeeded = scopes.stream().filter(s -> !s.equals(needed)).toArray(String[]::new);

        // RFC 6750 §3.1: no credentials, a challenge without an error code; RFC 9449 §7.1: DPoP offered beside it.
        assertEquals(List.of("Bearer realm=\"" + audience + "\"", DPOP_CHALLENGE),
                send(call, call.prepare().apply(owner), null).statusCode(401).extract().headers()
                        .getValues("WWW-Authenticate"), "challenges without credentials");

        for (String bad : List.of("not.a.jwt", "a.b.c.d", "eyJhbGciOiJub25lIn0.e30.")) {
            refusedAsInvalid(send(call, call.prepare().apply(owner), bad), "TOKEN_INVALID");
        }
        JwtClaimsBuilder expired = allowedClaims(rule, owner, needed);
        long past = Instant.now().getEpochSecond() - 3600;
        expired.issuedAt(past - 900).expiresAt(past);
        refusedAsInvalid(send(call, call.prepare().apply(owner), TestIssuer.sign(expired)), "TOKEN_EXPIRED");
        refusedAsInvalid(send(call, call.prepare().apply(owner),
                TestIssuer.signWithUnknownKey(allowedClaims(rule, owner, needed))), "TOKEN_INVALID");
        // RFC 9068 §4: a token whose aud does not name this service is refused.
        refusedAsInvalid(send(call, call.prepare().apply(owner),
                TestIssuer.sign(allowedClaims(rule, owner, all).audience(foreignAudience))),
                "TOKEN_INVALID");
        // RFC 9068 §4: only typ at+jwt is an access token; an id_token whose aud names this service is not one.
        refusedAsInvalid(send(call, call.prepare().apply(owner),
                TestIssuer.signWithType(allowedClaims(rule, owner, all), "JWT")), "TOKEN_INVALID");

        // RFC 6750 §3.1: every other scope, and whatever else the row asks, but not the needed scope.
        send(call, call.prepare().apply(owner), TestIssuer.sign(allowedClaims(rule, owner, allButNeeded)))
                .statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"" + needed + "\""))
                .body("error", equalTo("insufficient_scope"));

        switch (rule.caller()) {
            case ADMIN -> {
                forbidden(send(call, call.prepare().apply(owner), person(owner, false, all)));
                forbidden(send(call, call.prepare().apply(owner), service(all)));
            }
            case SERVICE -> forbidden(send(call, call.prepare().apply(owner), person(owner, true, all)));
            case OWNER_OR_ADMIN -> send(call, call.prepare().apply(owner), person("someone-else", false, all))
                    .statusCode(404).body("status", equalTo(404));
            case ANYONE, PERSON -> {
                // nothing more to withhold
            }
        }

        // The least-privileged token the row allows succeeds.
        allowed(call, owner, send(call, call.prepare().apply(owner),
                TestIssuer.sign(allowedClaims(rule, owner, needed))));
        if (rule.caller() == Caller.ANYONE) {
            allowed(call, owner, send(call, call.prepare().apply(owner), service(needed)));
        }
        if (rule.caller() == Caller.OWNER_OR_ADMIN) {
            allowed(call, owner, send(call, call.prepare().apply(owner), person("an-admin", true, needed)));
        }
    }

    private JwtClaimsBuilder allowedClaims(Rule rule, String owner, String... granted) {
        return switch (rule.caller()) {
            case SERVICE -> TestIssuer.claims(SERVICE_CLIENT, audience, granted);
            case ADMIN -> personClaims("an-admin", true, granted);
            case ANYONE, PERSON, OWNER_OR_ADMIN -> personClaims(owner, false, granted);
        };
    }

    private JwtClaimsBuilder personClaims(String subject, boolean admin, String... granted) {
        return TestIssuer.claims(subject, audience, granted).claim("client_id", PERSON_CLIENT)
                .groups(admin ? Set.of("user", "admin") : Set.of("user"));
    }

    private String person(String subject, boolean admin, String... granted) {
        return TestIssuer.sign(personClaims(subject, admin, granted));
    }

    private String service(String... granted) {
        return TestIssuer.token(SERVICE_CLIENT, audience, granted);
    }

    private static void refusedAsInvalid(ValidatableResponse response, String code) {
        response.statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"))
                .body("code", equalTo(code));
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .body("error", equalTo("insufficient_scope"));
    }

    private static void allowed(Call call, String owner, ValidatableResponse response) {
        response.statusCode(call.allowed()).header("WWW-Authenticate", nullValue());
        call.check().accept(owner, response);
    }

    private static ValidatableResponse send(Call call, Request request, String token) {
        RequestSpecification spec = given().redirects().follow(false);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            spec = spec.header(h.getKey(), h.getValue());
        }
        if (request.body() != null) {
            spec = spec.contentType("application/json").body(request.body());
        }
        return spec.request(call.method(), request.path()).then()
                .body(not(containsString("Exception")));
    }

    /** The rows of the README's access table, each as its three trimmed cells. */
    static List<List<String>> readmeRows(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(README_SECTION);
        if (start < 0) {
            fail("README has no section '" + README_SECTION + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|") || line.startsWith("| ---") || line.startsWith("| endpoint")) {
                continue;
            }
            String inner = line.strip().substring(1, line.strip().length() - 1);
            rows.add(Arrays.stream(inner.split("\\|", -1)).map(String::strip).collect(Collectors.toList()));
        }
        return rows;
    }
}
