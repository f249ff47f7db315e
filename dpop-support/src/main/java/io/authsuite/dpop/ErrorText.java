package io.authsuite.dpop;

/**
 * The text of an {@code error_description}, made fit for the wire. It lives in this module because both the
 * authorization server and the resource servers depend on it, and a DPoP refusal's text is the one both send.
 */
public final class ErrorText {

    /** Long enough for any description of ours with the value it names, short enough for a header. */
    static final int MAX_LENGTH = 256;

    private ErrorText() {
    }

    /**
     * {@code text} with every character RFC 6749 §5.2 and RFC 6750 §3 forbid in an {@code error_description}
     * replaced ({@code "} by {@code '}, anything else outside %x20-21 / %x23-5B / %x5D-7E by {@code ?}), cut to
     * {@value #MAX_LENGTH} characters. Descriptions may name a value from the request, and a quote, a backslash or a
     * line break there would otherwise break the JSON reader's contract, a challenge's quoted string or the header.
     */
    public static String description(String text) {
        if (text == null) {
            return null;
        }
        boolean cut = text.length() > MAX_LENGTH;
        int end = cut ? MAX_LENGTH - 3 : text.length();
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            char allowed = c == '"' ? '\'' : c < 0x20 || c > 0x7E || c == '\\' ? '?' : c;
            if (allowed != c && out == null) {
                out = new StringBuilder(end + 3).append(text, 0, i);
            }
            if (out != null) {
                out.append(allowed);
            }
        }
        if (out == null) {
            return cut ? text.substring(0, end) + "..." : text;
        }
        return cut ? out.append("...").toString() : out.toString();
    }
}
