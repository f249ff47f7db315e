package io.authsuite.auth.users;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The one canonical form of a username, used for the unique index, for sign-in and for the sign-in throttle alike,
 * so that {@code alice}, {@code " alice"}, {@code "Alice\t"} and a full-width {@code ａｌｉｃｅ} are one account with one
 * failure budget (OWASP ASVS 2.1 / RFC 8265 §3.3: width-map, case-map, NFKC).
 */
public final class Usernames {

    /** Longest username accepted at sign-in; registrations are stricter (64). */
    public static final int MAX_LENGTH = 256;

    private Usernames() {
    }

    /**
     * The canonical form: surrounding whitespace removed, NFKC, lower case. Empty when the input is blank, too long
     * or holds a control, format or separator character anywhere inside (those make look-alike names).
     */
    public static Optional<String> canonical(String username) {
        if (username == null) {
            return Optional.empty();
        }
        String s = Normalizer.normalize(username.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                     Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> {
                    return Optional.empty();
                }
                default -> i += Character.charCount(c);
            }
        }
        return Optional.of(s);
    }
}
