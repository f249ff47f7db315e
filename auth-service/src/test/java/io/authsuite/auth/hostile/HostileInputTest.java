package io.authsuite.auth.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.keys.SigningKeys;
import io.authsuite.testing.HostileCases;
import io.authsuite.testing.HostileTokens;
import io.authsuite.testing.HostileCases.Case;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Hostile input thrown at every kind of entry point of auth-service: bearer tokens, the form-encoded OAuth endpoints,
 * JSON bodies of the admin API and the HTML forms. Each case pins its exact status; none may be a 5xx.
 */
@QuarkusTest
class HostileInputTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    SigningKeys keys;

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A JWT signed with auth-service's own active key, its claims shaped by {@code edit}. */
    private String ours(Function<JwtClaims, JwtClaims> edit, String typ) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer("https://auth.test");
        c.setAudience("auth-service");
        c.setSubject("someone");
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(5);
        c.setGeneratedJwtId();
        c.setClaim("scope", "openid");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(edit.apply(c).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keys.active().kid());
        jws.setHeader("typ", typ);
        jws.setKey(keys.active().privateKey());
        return jws.getCompactSerialization();
    }

    private List<Case> bearerCases() throws Exception {
        String kid = keys.active().kid();
        String claims = b64("{\"iss\":\"https://auth.test\",\"sub\":\"x\",\"aud\":\"auth-service\",\"scope\":\"openid\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 300) + "}");
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(new String(Base64.getUrlDecoder().decode(claims), StandardCharsets.UTF_8));
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs.setKeyIdHeaderValue(kid);
        hs.setKey(new HmacKey(keys.active().publicKey().getEncoded()));
        hs.setDoKeyValidation(false);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        JsonWebSignature foreign = new JsonWebSignature();
        foreign.setPayload(new String(Base64.getUrlDecoder().decode(claims), StandardCharsets.UTF_8));
        foreign.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        foreign.setKeyIdHeaderValue(kid);
        foreign.setKey(g.generateKeyPair().getPrivate());
        String valid = ours(c -> c, "at+jwt");
        String[] parts = valid.split("\\.");
        Map<String, String> tokens = new TreeMap<>();
        tokens.put("alg none", b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "." + claims + ".");
        tokens.put("HS256 keyed with the public key", hs.getCompactSerialization());
        tokens.put("foreign key, known kid", foreign.getCompactSerialization());
        tokens.put("kid path traversal", b64("{\"alg\":\"RS256\",\"kid\":\"../../../../etc/passwd\"}") + "." + claims + "." + parts[2]);
        tokens.put("kid null byte", b64("{\"alg\":\"RS256\",\"kid\":\"a\\u0000b\"}") + "." + claims + "." + parts[2]);
        tokens.put("expired", ours(c -> { c.setExpirationTime(NumericDate.fromSeconds(1)); return c; }, "at+jwt"));
        tokens.put("not yet valid", ours(c -> { c.setNotBefore(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 3600)); return c; }, "at+jwt"));
        tokens.put("wrong issuer", ours(c -> { c.setIssuer("https://evil.example"); return c; }, "at+jwt"));
        tokens.put("issued in the future", ours(c -> { c.setIssuedAt(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 3600)); return c; }, "at+jwt"));
        tokens.put("100 KB token", valid + "A".repeat(100_000));
        tokens.putAll(HostileTokens.malformed(valid));
        tokens.put("empty", "");
        List<Case> cases = new ArrayList<>();
        tokens.forEach((name, token) -> {
            // 100 KB exceeds the request-header limit: refused before any JWT code runs.
            int expected = name.equals("100 KB token") ? 431 : 401;
            cases.add(new Case("userinfo bearer " + name, expected,
                    at("oauth2/userinfo").header("Authorization", "Bearer " + token).GET().build()));
        });
        cases.add(new Case("userinfo scheme Basic", 401, at("oauth2/userinfo").header("Authorization", "Basic Zm9vOmJhcg==").GET().build()));
        cases.add(new Case("userinfo two Authorization headers", 400, at("oauth2/userinfo")
                .header("Authorization", "Bearer a").header("Authorization", "Bearer " + valid).GET().build()));
        return cases;
    }

    private HttpRequest form(String path, String body) {
        return at(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private List<Case> formCases() {
        String service = basic(TestClients.SERVICE, URLEncoder.encode(TestClients.secret(TestClients.SERVICE), StandardCharsets.UTF_8));
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("token repeated grant_type", 400, at("oauth2/token").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&grant_type=client_credentials")).build()));
        StringBuilder many = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < 10_000; i++) {
            many.append("&p").append(i).append("=x");
        }
        cases.add(new Case("token 10k parameters", 413, form("oauth2/token", many.toString())));
        cases.add(new Case("token 1 MB body", 413, form("oauth2/token", "grant_type=" + "a".repeat(1 << 20))));
        cases.add(new Case("token non-UTF-8 bytes, no client", 401, at("oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=',
                        (byte) 0xC3, (byte) 0x28, (byte) 0xFF})).build()));
        cases.add(new Case("token bad percent-encoding", 400, form("oauth2/token", "grant_type=%ZZ&client_id=%")));
        cases.add(new Case("token JSON body", 400, at("oauth2/token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build()));
        cases.add(new Case("token no content type", 400, at("oauth2/token")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()));
        cases.add(new Case("token empty body", 400, form("oauth2/token", "")));
        cases.add(new Case("token unknown grant", 400, at("oauth2/token").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=../../etc")).build()));
        cases.add(new Case("token GET", 405, at("oauth2/token").GET().build()));
        cases.add(new Case("token Basic not base64", 401, at("oauth2/token").header("Authorization", "Basic %%%")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()));
        cases.add(new Case("token Basic without colon", 401, at("oauth2/token")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()));
        cases.add(new Case("token two client authentications", 400, at("oauth2/token").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=x&client_secret=y")).build()));
        cases.add(new Case("token value over 8 KiB", 400, at("oauth2/token").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + "s".repeat(9000))).build()));
        cases.add(new Case("token code of 1 byte", 400, form("oauth2/token",
                "grant_type=authorization_code&client_id=" + TestClients.SPA + "&code=a&redirect_uri=x&code_verifier=v")));
        cases.add(new Case("token refresh garbage", 400, form("oauth2/token",
                "grant_type=refresh_token&client_id=" + TestClients.SPA + "&refresh_token=%00%01")));
        cases.add(new Case("revoke empty", 400, at("oauth2/revoke").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")).build()));
        cases.add(new Case("revoke garbage token", 200, at("oauth2/revoke").header("Authorization", service)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + "%FF".repeat(50))).build()));
        cases.add(new Case("introspect without client", 401, form("oauth2/introspect", "token=abc")));
        cases.add(new Case("device_authorization unknown client", 401, form("oauth2/device_authorization", "client_id=%00nobody")));
        cases.add(new Case("par unknown client", 401, form("oauth2/par", "client_id=%00nobody&response_type=code")));
        cases.add(new Case("par value over 8 KiB", 400, form("oauth2/par", "client_id=" + TestClients.SPA + "&state="
                + "s".repeat(9000))));
        cases.add(new Case("par GET", 405, at("oauth2/par").GET().build()));
        cases.add(new Case("authorize request_uri garbage", 400, at("oauth2/authorize?client_id=" + TestClients.SPA
                + "&request_uri=urn:ietf:params:oauth:request_uri:%00%FF").GET().build()));
        cases.add(new Case("authorize unknown client", 400, at("oauth2/authorize?response_type=code&client_id=%00x&redirect_uri=x").GET().build()));
        cases.add(new Case("authorize javascript redirect", 400, at("oauth2/authorize?response_type=code&client_id=" + TestClients.SPA
                + "&redirect_uri=javascript:alert(1)").GET().build()));
        cases.add(new Case("authorize repeated client_id", 400, at("oauth2/authorize?response_type=code&client_id=" + TestClients.SPA
                + "&client_id=" + TestClients.THIRD + "&redirect_uri=x").GET().build()));
        cases.add(new Case("authorize invalid UTF-8 escape", 400, at("oauth2/authorize?client_id=%C3%28%FF").GET().build()));
        return cases;
    }

    private List<Case> jsonCases(String admin) {
        List<Case> cases = new ArrayList<>();
        Map<String, String> bodies = new TreeMap<>();
        bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
        bodies.put("deep object", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        bodies.put("huge number", "{\"username\":\"n\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"],\"disabled\":" + "9".repeat(5000) + "}");
        bodies.put("wrong types", "{\"username\":42,\"password\":[],\"roles\":\"admin\"}");
        bodies.put("roles null entries", "{\"username\":\"hn\",\"password\":\"long-enough-pw\",\"roles\":[null]}");
        bodies.put("truncated", "{\"username\":\"x\"");
        bodies.put("not JSON", "username=x");
        bodies.put("empty", "");
        bodies.put("array", "[]");
        bodies.put("duplicate keys", "{\"username\":\"a\",\"username\":\"b\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}");
        bodies.put("trailing document", "{\"username\":\"td\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}{}");
        bodies.put("control chars in username", "{\"username\":\"a\\u0000b\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}");
        bodies.put("password of 1 MB", "{\"username\":\"big\",\"password\":\"" + "p".repeat(1 << 20) + "\",\"roles\":[\"user\"]}");
        bodies.forEach((name, body) -> cases.add(new Case("admin users JSON " + name,
                name.equals("password of 1 MB") ? 413 : 400,
                at("admin/users").header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build())));
        // RFC 6749-shaped 400 for any body this server does not read (the token endpoint's rule, kept for the admin API).
        cases.add(new Case("admin users wrong content type", 400, at("admin/users").header("Authorization", "Bearer " + admin)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
        cases.add(new Case("admin users path traversal", 404, at("admin/users/..%2F..%2Fetc").header("Authorization", "Bearer " + admin)
                .GET().build()));
        return cases;
    }

    private List<Case> pageCases() {
        String location = OAuthFlow.path(OAuthFlow.authorize(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid", Pkce.create(), null, null), null).getHeader("Location"));
        String request = OAuthFlow.query(location).get("request");
        String login = "request=" + request + "&username=" + TestClients.USER + "&password=x&csrf=";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("login without CSRF", 403, form("login", login)));
        cases.add(new Case("login forged CSRF", 403, at("login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "__Host-authsuite_csrf=aaaa").POST(HttpRequest.BodyPublishers.ofString(login + "bbbb")).build()));
        cases.add(new Case("login Origin null", 403, at("login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "null").header("Cookie", "__Host-authsuite_csrf=aaaa")
                .POST(HttpRequest.BodyPublishers.ofString(login + "aaaa")).build()));
        cases.add(new Case("login foreign Origin", 403, at("login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").header("Cookie", "__Host-authsuite_csrf=aaaa")
                .POST(HttpRequest.BodyPublishers.ofString(login + "aaaa")).build()));
        cases.add(new Case("consent forged CSRF", 403, at("consent").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "__Host-authsuite_csrf=aaaa").POST(HttpRequest.BodyPublishers.ofString(
                        "request=" + request + "&decision=allow&csrf=bbbb")).build()));
        cases.add(new Case("device forged CSRF", 403, at("device").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "__Host-authsuite_csrf=aaaa").POST(HttpRequest.BodyPublishers.ofString(
                        "user_code=BCDF-GHJK&decision=approve&csrf=bbbb")).build()));
        cases.add(new Case("logout forged CSRF", 403, at("oauth2/logout").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "__Host-authsuite_csrf=aaaa").POST(HttpRequest.BodyPublishers.ofString("csrf=bbbb")).build()));
        cases.add(new Case("login unknown request id", 400, at("login?request=" + "%3Cscript%3E").GET().build()));
        cases.add(new Case("device huge user code without a session", 303, at("device?user_code=" + "Z".repeat(4000)).GET().build()));
        cases.add(new Case("consent garbage session cookie", 400, at("consent?request=nope").header("Cookie", "__Host-authsuite_session=%00%01")
                .GET().build()));
        return cases;
    }

    @Test
    void browserFormWhenBodyMalformedOrNotAFormThenBadRequestPageNeverServerError() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        Map<String, String> failures = new TreeMap<>();
        for (String path : List.of("login", "consent", "device", "oauth2/logout", "admin/console/keys/rotate")) {
            Map<String, HttpRequest> requests = Map.of(
                    "bad percent-encoding", form(path, "username=%zz&password=x&csrf=y&request=r"),
                    "truncated percent-encoding", form(path, "csrf=y&decision=allow&request=%2"),
                    "unknown charset", at(path).header("Content-Type", "application/x-www-form-urlencoded; charset=nope")
                            .POST(HttpRequest.BodyPublishers.ofString("csrf=y")).build(),
                    "not a form", at(path).header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("csrf=y")).build(),
                    // Over quarkus.http.limits.max-form-attribute-size: Quarkus REST's form reader refuses it (413).
                    "a field of 5,000 characters", form(path, "csrf=y&request=r&username=x&password="
                            + "p".repeat(5000)));
            for (var request : requests.entrySet()) {
                var r = client.send(request.getValue(), java.net.http.HttpResponse.BodyHandlers.ofString());
                String type = r.headers().firstValue("Content-Type").orElse("");
                // A person's browser gets a page it can show, with a 4xx: never JSON, never a 5xx.
                if (r.statusCode() / 100 != 4 || !type.startsWith("text/html")) {
                    failures.put(path + " " + request.getKey(), r.statusCode() + " " + type);
                }
            }
        }
        assertEquals(Map.of(), failures);
    }

    @Test
    void tokenBodyAnnouncedTooLargeThenOAuthErrorAndConnectionClosed() throws Exception {
        String answer = io.authsuite.testing.HostileCases.answerThenClosed(base, "POST /oauth2/token HTTP/1.1\r\n"
                + "Host: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        org.junit.jupiter.api.Assertions.assertTrue(answer.contains("\"error\":\"invalid_request\""), answer);
    }

    @Test
    void tokenBodyChunkedPastTheLimitThenOAuthErrorAndConnectionClosedAndASmallOneServed() throws Exception {
        // A chunked body announces no length: web/BodyLimit reads it up to quarkus.http.limits.max-body-size (1 MiB).
        int size = (1 << 20) + 16;
        String answer = HostileCases.answerThenClosed(base, "POST /oauth2/token HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(size) + "\r\n" + "a".repeat(size) + "\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"error\":\"invalid_request\""), answer);
        String form = "grant_type=client_credentials";
        String small = HostileCases.answerThenClosed(base, "POST /oauth2/token HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + basic(TestClients.SERVICE, URLEncoder.encode(TestClients.secret(TestClients.SERVICE),
                        StandardCharsets.UTF_8)) + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(form.length()) + "\r\n" + form + "\r\n0\r\n\r\n");
        assertTrue(small.startsWith("HTTP/1.1 200") && small.contains("\"access_token\""), small);
    }

    @Test
    void tokenBodyChunkedWhenClientExpectsContinueThenContinueSentAndTokenServed() throws Exception {
        // RFC 9110 §10.1.1: a client that sends Expect: 100-continue may hold its body back until the 100 comes.
        String form = "grant_type=client_credentials";
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /oauth2/token HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(TestClients.SERVICE,
                    URLEncoder.encode(TestClients.secret(TestClients.SERVICE), StandardCharsets.UTF_8)) + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            assertEquals("HTTP/1.1 100 Continue", in.readLine());
            out.write((Integer.toHexString(form.length()) + "\r\n" + form + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            StringBuilder rest = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("HTTP/1.1 200") && rest.toString().contains("\"access_token\""),
                    rest.toString());
        }
    }

    @Test
    void tokenBodyChunkedWithMalformedChunkThenConnectionClosedNeverAServerError() throws Exception {
        // Vert.x closes the connection at a chunk size it cannot read (the framing is lost); web/BodyLimits' reader
        // must not turn it into a 500 on the way.
        String answer = HostileCases.answerThenClosed(base, "POST /oauth2/token HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nabc\r\n");
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400") && answer.contains("invalid_request"),
                answer);
    }

    @Test
    void authorizeWhenRawQueryHoldsCharactersJavaNetUriRefusesThenBadRequestNeverServerError() throws Exception {
        // The endpoint reads its query through java.net.URI, which throws on these; it is safe only while Vert.x
        // refuses such a request line first (an empty 400, below any handler of this server). Pinned, so that an
        // upgrade that lets them through shows.
        for (String raw : List.of("a|b", "a{b}", "a^b", "a`b", "a\"b", "a<b", "a\\b", "%zz", "a%2")) {
            String answer = HostileCases.answerThenClosed(base, "GET /oauth2/authorize?client_id=" + TestClients.SPA
                    + "&state=" + raw + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), raw + ": " + answer);
        }
    }

    @Test
    void requestWhenHostInvalidThenBadRequestInThisServersShapeNotAServerErrorPage()
            throws Exception {
        // RFC 9112 §3.2: a Host header with an invalid value is 400. Vert.x refuses it before any endpoint, and Quarkus
        // answered with its "500 - Internal Server Error" text (and an ERROR log line) under that 400.
        Map<String, String> failures = new TreeMap<>();
        for (String host : List.of("evil:99999", "evil:abc", "evil:-1")) {
            for (String path : List.of("/oauth2/jwks", "/oauth2/token", "/login")) {
                String answer = HostileCases.answerThenClosed(base, "GET " + path + " HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n");
                boolean page = path.equals("/login");
                boolean shaped = answer.startsWith("HTTP/1.1 400") && !answer.contains("Internal Server Error")
                        && (page ? answer.contains("text/html") : answer.contains("\"error\":\"invalid_request\""))
                        && answer.contains("X-Frame-Options: DENY");
                if (!shaped) {
                    failures.put(host + " " + path, answer);
                }
            }
        }
        assertEquals(Map.of(), failures);
    }

    @Test
    void requestWhenTwoAuthorizationHeadersThenInvalidRequestAndNeitherUsed() throws Exception {
        // RFC 9110 §5.3: Authorization is not a list. The first header is a working credential each time: a server
        // that read only it would answer 200.
        String basic = io.authsuite.auth.token.TokenRequests.basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE));
        String bearer = "Bearer " + adminToken();
        Map<String, String> heads = Map.of(
                "token", "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic
                        + "\r\nAuthorization: Basic eDp5\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 29\r\n\r\ngrant_type=client_credentials",
                "userinfo", "GET /oauth2/userinfo HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                        + "\r\nAuthorization: Bearer x\r\n\r\n",
                "admin", "GET /admin/users HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                        + "\r\nAuthorization: " + bearer + "\r\n\r\n");
        Map<String, String> failures = new TreeMap<>();
        for (var head : heads.entrySet()) {
            String answer = HostileCases.answerThenClosed(base, head.getValue().replaceFirst("\r\n",
                    "\r\nConnection: close\r\n"));
            boolean shaped = answer.startsWith("HTTP/1.1 400") && answer.contains("\"error\":\"invalid_request\"")
                    && answer.contains("more than one Authorization header") && !answer.contains("access_token")
                    && answer.contains("X-Frame-Options: DENY")
                    // RFC 6750 §3: challenged where the first header carried a token; Basic is no Bearer request.
                    && answer.contains("WWW-Authenticate: Bearer realm=\"auth-service\", error=\"invalid_request\"")
                            == !head.getKey().equals("token");
            if (!shaped) {
                failures.put(head.getKey(), answer);
            }
        }
        // A browser page answers with the error page.
        String page = HostileCases.answerThenClosed(base, "GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: " + bearer + "\r\nAuthorization: Basic eDp5\r\n\r\n");
        if (!page.startsWith("HTTP/1.1 400") || !page.contains("text/html")
                || !page.contains("more than one Authorization header") || !page.contains("X-Frame-Options: DENY")) {
            failures.put("login page", page);
        }
        assertEquals(Map.of(), failures);
    }

    @Test
    void userinfoWhenTokenInQueryBesideHeaderThenInvalidRequestAndNeitherUsed() throws Exception {
        // RFC 6750 §3.1: one method per request. The header's token works; a server that read it would answer 200.
        String answer = HostileCases.answerThenClosed(base, "GET /oauth2/userinfo?access_token=x HTTP/1.1\r\n"
                + "Host: x\r\nConnection: close\r\nAuthorization: Bearer " + adminToken() + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("\"error\":\"invalid_request\"")
                && answer.contains("in its query"), answer);
        // RFC 6750 §3: refused for how the token was sent, so challenged, naming the error.
        assertTrue(answer.contains("WWW-Authenticate: Bearer realm=\"auth-service\", error=\"invalid_request\", "
                + "error_description=\"the request carries an access token in its Authorization header and in its "
                + "query\""), answer);
    }

    @Test
    void hostileInputsThenExactStatusesAndNoServerError() throws Exception {
        String admin = adminToken();
        List<Case> cases = new ArrayList<>();
        cases.addAll(bearerCases());
        cases.addAll(formCases());
        cases.addAll(jsonCases(admin));
        cases.addAll(pageCases());
        assertTrue(cases.size() >= 60, cases.size() + " cases");
        assertEquals(Map.of(), HostileCases.mismatches(cases, HostileInputTest::standardShape));
    }

    /**
     * Every API of this server (the OAuth endpoints, the admin API, the account) answers in RFC 6749 §5.2's shape; the
     * browser pages with an HTML page of their own.
     */
    private static boolean standardShape(java.net.http.HttpResponse<String> r) {
        String path = r.uri().getPath();
        boolean page = java.util.stream.Stream.of("/login", "/consent", "/device", "/oauth2/authorize", "/oauth2/logout",
                "/admin/console").anyMatch(path::startsWith);
        return page || HostileCases.oauthError(r);
    }

    private static String adminToken() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid users:manage", pkce, null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN));
        return OAuthFlow.exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
    }
}
