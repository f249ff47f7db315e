package io.authsuite.inventory.api;

import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import java.util.regex.Pattern;

/** Input checks that answer 400 with a problem naming the field. */
final class Validation {

    static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Validation() {
    }

    static void sku(String field, String sku) {
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw invalid(field, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    static int intParam(String field, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw invalid(field, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(field, "must be a whole number");
        }
    }

    /**
     * Text shown to people (an item's name): 1 to {@code max} characters, not blank, and none that hides or reorders
     * what is shown: controls such as NUL, line and paragraph separators, the bidirectional embeddings, overrides and
     * isolates (U+202A-U+202E, U+2066-U+2069), a lone surrogate. Joiners and soft hyphens stay: scripts and emoji need
     * them.
     */
    static void displayText(String field, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw invalid(field, "must be 1-" + max + " characters");
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069) {
                throw invalid(field, "must not hold control, separator or bidirectional control characters");
            }
            i += Character.charCount(c);
        }
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.badRequest(field, field + " " + message));
    }
}
