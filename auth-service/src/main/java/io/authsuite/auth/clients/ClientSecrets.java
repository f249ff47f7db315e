package io.authsuite.auth.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Client secret hashes: {@code sha256:<base64url of SHA-256(secret)>}.
 *
 * <p>A fast hash is right here because client secrets are generated, high-entropy values (256 bits from
 * {@code make secrets}), so the hash cannot be brute-forced; a slow password hash would only cap the token
 * endpoint's throughput. Passwords of people use a slow hash. Comparison is constant-time.
 */
public final class ClientSecrets {

    public static final String PREFIX = "sha256:";

    private ClientSecrets() {
    }

    public static String hash(String secret) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest(secret));
    }

    /** True when {@code secret} matches {@code storedHash}; runs in time independent of where they differ. */
    public static boolean matches(String secret, String storedHash) {
        byte[] expected;
        try {
            expected = storedHash != null && storedHash.startsWith(PREFIX)
                    ? Base64.getUrlDecoder().decode(storedHash.substring(PREFIX.length()))
                    : new byte[32];
        } catch (IllegalArgumentException e) {
            expected = new byte[32];
        }
        boolean wellFormed = storedHash != null && storedHash.startsWith(PREFIX) && expected.length == 32;
        // MessageDigest.isEqual is constant-time for equal lengths (both are 32-byte digests).
        return MessageDigest.isEqual(digest(secret == null ? "" : secret), expected) & wellFormed;
    }

    public static boolean isWellFormed(String storedHash) {
        if (storedHash == null || !storedHash.startsWith(PREFIX)) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(storedHash.substring(PREFIX.length())).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code java -cp ... ClientSecrets SECRET} prints the hash to put in {@code auth.clients.<id>.secret-hash}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ClientSecrets <secret>");
            System.exit(2);
        }
        System.out.println(hash(args[0]));
    }
}
