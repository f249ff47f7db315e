package io.authsuite.auth.token;

import jakarta.ws.rs.core.MediaType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} OAuth request, parsed strictly: malformed
 * encoding and repeated parameters are {@code invalid_request}, never a server error.
 */
public final class FormParameters {

    /** Parameters that RFC 8707 allows to repeat. */
    private static final Set<String> REPEATABLE = Set.of("resource");

    /**
     * The parameters this server reads, at any of its endpoints (one list for all of them). Only these are refused
     * when repeated as a request is parsed: RFC 6749 §3.1 and §3.2 have the server ignore the parameters it does not
     * recognise, repeated or not. A parameter read but missing here is still refused when repeated, by {@link #get}.
     */
    static final Set<String> RECOGNIZED = Set.of("grant_type", "scope", "resource", "audience", "client_id",
            "client_secret", "client_assertion", "client_assertion_type", "code", "redirect_uri", "code_verifier",
            "refresh_token", "device_code", "subject_token", "subject_token_type", "actor_token",
            "requested_token_type", "token", "token_type_hint", "response_type", "response_mode", "state", "code_challenge",
            "code_challenge_method", "nonce", "prompt", "max_age", "id_token_hint", "request", "request_uri",
            "dpop_jkt", "refresh_token_delivery");

    private final Map<String, List<String>> values;

    private FormParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a request body, refusing any content type but {@code application/x-www-form-urlencoded}. */
    public static FormParameters parse(String contentType, String body) {
        return parse(contentType, body, Set.of());
    }

    /**
     * As {@link #parse(String, String)}, letting {@code alsoRepeatable} repeat too: for a request whose kind decides
     * which of them may (the caller then refuses the repeats its kind does not allow, {@link #refuseRepeated}).
     */
    public static FormParameters parse(String contentType, String body, Set<String> alsoRepeatable) {
        if (!isForm(contentType)) {
            // RFC 6749 §3.2: parameters are sent with the application/x-www-form-urlencoded format.
            throw OAuthError.invalidRequest("the request must be application/x-www-form-urlencoded");
        }
        return parse(body, alsoRepeatable);
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            // The type itself, not one compatible with it: "*/*" or "application/*" names no format of the body.
            MediaType type = MediaType.valueOf(contentType);
            return type.getType().equalsIgnoreCase("application")
                    && type.getSubtype().equalsIgnoreCase("x-www-form-urlencoded");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Limits of any form this server parses: a body of 64 KiB, 50 parameters, values of 8 KiB (JWTs included). */
    static final int MAX_BODY = 65_536;
    static final int MAX_PARAMETERS = 50;
    static final int MAX_VALUE = 8192;
    /**
     * At most this many values of a parameter that may repeat ({@code resource}, {@code audience}): each names a
     * target service, and no token needs more of them than this.
     */
    public static final int MAX_REPEATS = 10;

    public static FormParameters parse(String body) {
        return parse(body, Set.of());
    }

    private static FormParameters parse(String body, Set<String> alsoRepeatable) {
        if (body != null && body.length() > MAX_BODY) {
            throw new OAuthError(413, "invalid_request", "the request is too large", Map.of());
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        if (values.size() > MAX_PARAMETERS) {
            throw OAuthError.invalidRequest("too many parameters");
        }
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (e.getKey().length() > 128 || e.getValue().stream().anyMatch(v -> v.length() > MAX_VALUE)) {
                throw OAuthError.invalidRequest("a parameter is too long");
            }
            // RFC 6749 §3.1: request parameters MUST NOT be included more than once; unrecognised ones are ignored.
            if (e.getValue().size() > 1 && RECOGNIZED.contains(e.getKey()) && !REPEATABLE.contains(e.getKey())
                    && !alsoRepeatable.contains(e.getKey())) {
                throw OAuthError.invalidRequest("parameter '" + e.getKey() + "' is repeated");
            }
            if (e.getValue().size() > MAX_REPEATS) {
                throw OAuthError.invalidRequest("parameter '" + e.getKey() + "' is repeated more than " + MAX_REPEATS
                        + " times");
            }
        }
        return new FormParameters(values);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("the request body is not valid form encoding");
        }
    }

    /**
     * The value of a parameter; an empty value counts as absent (RFC 6749 §3.1). A single-valued parameter that
     * came more than once is refused here too, so that no read ever settles for its first value.
     */
    public Optional<String> get(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1 && !REPEATABLE.contains(name)) {
            throw OAuthError.invalidRequest("parameter '" + name + "' is repeated");
        }
        return v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthError.invalidRequest("parameter '" + name + "' is required"));
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, Collections.emptyList()).stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Every value of a parameter as sent, empty ones included, in order. */
    public List<String> sent(String name) {
        return List.copyOf(values.getOrDefault(name, Collections.emptyList()));
    }

    /** Refuses a repeated {@code name}: for a parameter {@link #parse(String, String, Set)} let repeat. */
    public void refuseRepeated(String name) {
        if (values.getOrDefault(name, Collections.emptyList()).size() > 1) {
            throw OAuthError.invalidRequest("parameter '" + name + "' is repeated");
        }
    }

    /** A copy with one more (or replaced) parameter. */
    public FormParameters with(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.put(name, List.of(value));
        return new FormParameters(copy);
    }

    /** A copy without the given parameters. */
    public FormParameters without(String... names) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        for (String name : names) {
            copy.remove(name);
        }
        return new FormParameters(copy);
    }

    /** Every parameter with every value as sent, in order: to store a request and read it back ({@link #of}). */
    public Map<String, List<String>> asMap() {
        return deepCopy(values);
    }

    /** Parameters stored by {@link #asMap} (already checked when they were parsed). */
    public static FormParameters of(Map<String, List<String>> stored) {
        return new FormParameters(deepCopy(stored));
    }

    private static Map<String, List<String>> deepCopy(Map<String, List<String>> values) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((name, sent) -> copy.put(name, List.copyOf(sent)));
        return copy;
    }

    public int size() {
        return values.size();
    }
}
