package io.authsuite.testing;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bearer tokens a resource service must refuse with 401, by name: forgeries, wrong types, stale or future times,
 * wrong issuer or audience, and malformed compact serialisations. Shared by the resource services' hostile suites.
 */
public final class HostileTokens {

    private HostileTokens() {
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every token here is refused by a service whose audience is {@code audience}; scopes are otherwise enough. */
    public static Map<String, String> refused(String audience, String... scopes) {
        long now = Instant.now().getEpochSecond();
        String valid = TestIssuer.token("hostile", audience, scopes);
        String[] parts = valid.split("\\.");
        Map<String, String> t = new LinkedHashMap<>();
        t.put("alg none", b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".");
        t.put("HS256 keyed with the public key", Jwt.claims().issuer(TestIssuer.ISSUER).subject("x").audience(audience)
                .claim("scope", String.join(" ", scopes)).expiresAt(now + 300).jws().header("typ", "at+jwt")
                .signWithSecret(Base64.getEncoder().encodeToString(TestIssuer.publicKey().getEncoded())));
        t.put("foreign key with the published kid", TestIssuer.signWithUnknownKey(TestIssuer.claims("x", audience, scopes)));
        t.put("kid path traversal", b64("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"../../../../etc/passwd\"}")
                + "." + parts[1] + "." + parts[2]);
        t.put("typ JWT (an id_token)", TestIssuer.signWithType(TestIssuer.claims("x", audience, scopes), "JWT"));
        t.put("expired", TestIssuer.sign(TestIssuer.claims("x", audience, scopes).issuedAt(now - 2400).expiresAt(now - 1800)));
        // What a leaked signing key could mint: refused for outliving auth-service's access-token lifetime.
        t.put("lives a year", TestIssuer.sign(TestIssuer.claims("x", audience, scopes).expiresAt(now + 365L * 86400)));
        t.put("issued a year ahead, for 15 minutes from then", TestIssuer.sign(TestIssuer.claims("x", audience, scopes)
                .issuedAt(now + 365L * 86400 - 900).expiresAt(now + 365L * 86400)));
        t.put("not yet valid", TestIssuer.sign(TestIssuer.claims("x", audience, scopes).claim("nbf", now + 3600)));
        t.put("wrong issuer", TestIssuer.sign(TestIssuer.claims("x", audience, scopes).issuer("https://evil.example")));
        t.put("wrong audience", TestIssuer.sign(TestIssuer.claims("x", "someone-else", scopes)));
        t.put("no expiry", b64("{\"alg\":\"RS256\"}") + "." + b64("{\"sub\":\"x\"}") + "." + parts[2]);
        t.putAll(malformed(valid));
        t.put("JWE-shaped", "a.b.c.d.e");
        return t;
    }

    /** The ways to break a valid compact JWS without any key: each must be refused, none may reach a 5xx. */
    public static Map<String, String> malformed(String valid) {
        String[] parts = valid.split("\\.");
        Map<String, String> t = new LinkedHashMap<>();
        t.put("non-base64", "%%%.***.!!!");
        t.put("truncated", valid.substring(0, valid.length() / 2));
        t.put("two parts", parts[0] + "." + parts[1]);
        t.put("four parts", valid + ".AAAA");
        t.put("duplicated header", parts[0] + "." + parts[0] + "." + parts[1] + "." + parts[2]);
        t.put("header not JSON", b64("not json") + "." + parts[1] + "." + parts[2]);
        t.put("claims not JSON", parts[0] + "." + b64("[1,2") + "." + parts[2]);
        t.put("signature altered", parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1));
        t.put("latin-1 bytes", "\u00e9\u00ff.\u00e9\u00ff.\u00e9\u00ff");
        return t;
    }
}
