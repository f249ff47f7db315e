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
     * The canonical form: NFKC, lower case, surrounding whitespace removed. Empty when the input is blank, too long
     * or holds a control, format or separator character anywhere inside (those make look-alike names), and when the
     * form is not its own canonical form: every caller (the throttle, the store's index) may canonicalise again, and
     * must land on the same name, or one account would have many failure budgets.
     */
    public static Optional<String> canonical(String username) {
        if (username == null) {
            return Optional.empty();
        }
        String s = fold(username);
        // Stripped after NFKC, which turns no-break and other spaces into ' ': stripped before, they survived it and
        // made "alice" and a no-break space a name of its own for the throttle, though the store found alice under it.
        if (s.isEmpty() || s.length() > MAX_LENGTH || !fold(s).equals(s)) {
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

    private static String fold(String username) {
        return Normalizer.normalize(username, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    }
}
