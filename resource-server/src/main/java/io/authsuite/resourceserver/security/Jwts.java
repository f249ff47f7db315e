package io.authsuite.resourceserver.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/** Reads the JOSE header of an already verified token (SmallRye exposes only its claims). */
final class Jwts {

    private Jwts() {
    }

    /** The JOSE header members this service acts on; nulls when absent or unreadable. */
    record Header(String kid, String typ) {
        /** RFC 9068 §4: "at+jwt", or the full media type "application/at+jwt", compared case-insensitively. */
        boolean isAccessToken() {
            return typ != null && (typ.equalsIgnoreCase("at+jwt") || typ.equalsIgnoreCase("application/at+jwt"));
        }
    }

    static Header header(JsonWebToken token) {
        if (token instanceof ClaimLookupPrincipalFactory.Principal parsed) {
            return new Header(parsed.keyId(), parsed.type());
        }
        // Another factory's principal: the header parsed as JSON again (escapes decoded, a repeated member refused),
        // never matched as text, so that the kid read here is the one a JOSE library would choose a key by.
        String raw = token.getRawToken();
        int dot = raw == null ? -1 : raw.indexOf('.');
        if (dot <= 0) {
            return new Header(null, null);
        }
        try {
            Map<String, Object> header = JsonUtil.parseJson(
                    new String(Base64.getUrlDecoder().decode(raw.substring(0, dot)), StandardCharsets.UTF_8));
            return new Header(string(header.get("kid")), string(header.get("typ")));
        } catch (IllegalArgumentException | JoseException e) {
            return new Header(null, null);
        }
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}
