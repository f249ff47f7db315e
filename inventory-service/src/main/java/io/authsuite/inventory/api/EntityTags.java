package io.authsuite.inventory.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The entity-tag lists of {@code If-Match} and {@code If-None-Match} (RFC 9110 §13.1.1, §13.1.2): {@code *} or a
 * comma-separated list of {@code "opaque"} and {@code W/"opaque"}. A value that is neither answers 400 naming the
 * header: a precondition the client cannot have meant must not be taken as absent.
 *
 * @param present whether the header was sent at all
 * @param any     {@code *}
 * @param strong  the opaque tags a strong comparison may match (weak ones never do: §8.8.3.2)
 * @param all     the opaque tags of the list, weak or not, for the weak comparison of {@code If-None-Match}
 */
record EntityTags(boolean present, boolean any, List<String> strong, List<String> all) {

    static final EntityTags ABSENT = new EntityTags(false, false, List.of(), List.of());

    static EntityTags parse(String header, List<String> values) {
        if (values == null || values.isEmpty()) {
            return ABSENT;
        }
        String joined = String.join(",", values).trim();
        if (joined.equals("*")) {
            return new EntityTags(true, true, List.of(), List.of());
        }
        List<String> strong = new ArrayList<>();
        List<String> all = new ArrayList<>();
        int i = 0;
        int n = joined.length();
        while (i < n) {
            char c = joined.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = joined.startsWith("W/", i);
            if (weak) {
                i += 2;
            }
            if (i >= n || joined.charAt(i) != '"') {
                throw malformed(header);
            }
            int end = i + 1;
            while (end < n && joined.charAt(end) != '"') {
                char e = joined.charAt(end);
                // etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3): no controls, spaces or DEL.
                if (e < 0x21 || e == 0x7F) {
                    throw malformed(header);
                }
                end++;
            }
            if (end >= n) {
                throw malformed(header);
            }
            String opaque = joined.substring(i + 1, end);
            all.add(opaque);
            if (!weak) {
                strong.add(opaque);
            }
            i = end + 1;
            while (i < n && (joined.charAt(i) == ' ' || joined.charAt(i) == '\t')) {
                i++;
            }
            // #entity-tag (RFC 9110 §5.6.1): elements are separated by commas, not by spaces alone.
            if (i < n && joined.charAt(i) != ',') {
                throw malformed(header);
            }
        }
        if (all.isEmpty()) {
            throw malformed(header);
        }
        return new EntityTags(true, false, List.copyOf(strong), List.copyOf(all));
    }

    /** Whether the current representation's opaque tag is listed (weak comparison: {@code If-None-Match}). */
    boolean matchesWeakly(String current) {
        return any || all.contains(current);
    }

    private static RuntimeException malformed(String header) {
        return Validation.invalid(header, "must be * or a list of entity tags such as \"3f2a...\"");
    }
}
