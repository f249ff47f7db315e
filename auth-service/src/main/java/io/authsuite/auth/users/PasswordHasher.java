package io.authsuite.auth.users;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format, with the OWASP baseline parameters (19 MiB, 2 passes,
 * 1 lane). Verification reads the parameters from the stored hash, so they can be raised without a migration.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;

    /** Held per instance, not in a static field (native-image: no SecureRandom in the image heap). */
    private final SecureRandom random = new SecureRandom();

    /** A hash of a password nobody has, verified against when a username is unknown so both paths cost the same. */
    private final String decoy;

    public PasswordHasher() {
        this.decoy = hash("decoy-" + random.nextLong());
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }

    /** Constant-time check of a password against a stored hash; false for malformed hashes. */
    public boolean verify(String password, String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (memory < 8 || memory > 1_048_576 || iterations < 1 || parallelism < 1) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salt = b64.decode(m.group(4));
        byte[] expected = b64.decode(m.group(5));
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification, for unknown users. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    public static boolean isHash(String value) {
        return value != null && PHC.matcher(value).matches();
    }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** {@code java -cp ... PasswordHasher PASSWORD} prints a hash for {@code auth.seed-users.<name>.password-hash}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: PasswordHasher <password>");
            System.exit(2);
        }
        System.out.println(new PasswordHasher().hash(args[0]));
    }
}
