package io.authsuite.resourceserver.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the JOSE header of an already verified token (SmallRye exposes only its claims). */
final class Jwts {

    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]{1,200})\"");

    private Jwts() {
    }

    static String keyId(JsonWebToken token) {
        String raw = token.getRawToken();
        int dot = raw == null ? -1 : raw.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(raw.substring(0, dot)), StandardCharsets.UTF_8);
            Matcher m = KID.matcher(header);
            return m.find() ? m.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
