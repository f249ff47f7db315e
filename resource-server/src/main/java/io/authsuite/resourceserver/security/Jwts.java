package io.authsuite.resourceserver.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the JOSE header of an already verified token (SmallRye exposes only its claims). */
final class Jwts {

    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]{1,200})\"");
    private static final Pattern TYP = Pattern.compile("\"typ\"\\s*:\\s*\"([^\"]{1,200})\"");

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
        String raw = token.getRawToken();
        int dot = raw == null ? -1 : raw.indexOf('.');
        if (dot <= 0) {
            return new Header(null, null);
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(raw.substring(0, dot)), StandardCharsets.UTF_8);
            return new Header(find(KID, header), find(TYP, header));
        } catch (IllegalArgumentException e) {
            return new Header(null, null);
        }
    }

    private static String find(Pattern member, String header) {
        Matcher m = member.matcher(header);
        return m.find() ? m.group(1) : null;
    }
}
