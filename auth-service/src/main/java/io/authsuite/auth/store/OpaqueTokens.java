package io.authsuite.auth.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random opaque values (refresh tokens, codes, session ids) and the hashes under which they are stored: the
 * server keeps only SHA-256 of a bearer value, so a Redis dump gives nothing that can be presented.
 */
@ApplicationScoped
public class OpaqueTokens {

    /** An instance field, not static: native images must not capture a seeded SecureRandom. */
    private final SecureRandom random = new SecureRandom();

    /** 256 random bits, base64url without padding (43 characters). */
    public String next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** 128 random bits, base64url without padding (22 characters): an id that is not guessable, not a credential. */
    public String nextId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opaque values are exactly 43 base64url characters; anything else is refused before any lookup. */
    public static boolean looksValid(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(c ->
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
}
