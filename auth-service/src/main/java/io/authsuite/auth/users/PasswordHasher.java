package io.authsuite.auth.users;

import io.authsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format, with the OWASP baseline parameters (19 MiB, 2 passes,
 * 1 lane). Verification reads the parameters from the stored hash, so they can be raised without a migration.
 *
 * <p>Each check holds about 19 MiB for its duration, so the number running at once is bounded: a burst of bogus
 * sign-ins then waits briefly or gets {@link Busy} (503) instead of exhausting the heap and killing the pod.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /** Held per instance, not in a static field (native-image: no SecureRandom in the image heap). */
    private final SecureRandom random = new SecureRandom();

    /**
     * A hash of a password nobody has, verified against when a username is unknown so both paths cost the same.
     * Made on first use rather than at start-up, where it would cost a whole Argon2 run before the first request.
     */
    private volatile String decoy;

    private final Semaphore checks;
    private final long waitMillis;

    /** Thrown when every password-check slot stayed taken for the configured wait; the caller answers 503. */
    public static final class Busy extends RuntimeException {
        public Busy() {
            super("too many password checks at once", null, false, false);
        }
    }

    @Inject
    public PasswordHasher(AuthConfig config) {
        this(config.login().concurrentPasswordChecks().orElseGet(PasswordHasher::defaultConcurrentChecks),
                config.login().passwordCheckWait());
    }

    /** For tools and tests outside the container: {@code concurrent} checks at once, waiting up to {@code wait}. */
    public PasswordHasher(int concurrent, Duration wait) {
        this.checks = new Semaphore(Math.max(1, concurrent), true);
        this.waitMillis = wait.toMillis();
    }

    /**
     * A quarter of the heap's limit spent on password checks at most, and no more than two per core (more only
     * queue for the CPU): 1 under the 128 MiB pod limit, more with more memory.
     */
    static int defaultConcurrentChecks() {
        long perCheck = (MEMORY_KIB + 1024L) * 1024L;
        long byMemory = Runtime.getRuntime().maxMemory() / 4 / perCheck;
        return (int) Math.max(1, Math.min(byMemory, 2L * Runtime.getRuntime().availableProcessors()));
    }

    public String hash(String password) {
        return hash(password, MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    /** A hash with other parameters than today's: for tests of hashes made before a change of parameters. */
    String hash(String password, int memory, int iterations, int parallelism) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = bounded(password, salt, memory, iterations, parallelism, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memory + ",t=" + iterations + ",p=" + parallelism
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }

    /** Constant-time check of a password against a stored hash; false for malformed hashes. */
    public boolean verify(String password, String stored) {
        Stored parsed = parse(stored);
        if (parsed == null) {
            return false;
        }
        byte[] actual = bounded(password, parsed.salt(), parsed.memory(), parsed.iterations(), parsed.parallelism(),
                parsed.hash().length);
        // OWASP Password Storage Cheat Sheet: compare in constant time.
        return MessageDigest.isEqual(parsed.hash(), actual);
    }

    /**
     * Whether a stored hash was made with other parameters than {@link #hash} uses now (a seeded hash, or one from
     * before the parameters changed). It is replaced at the owner's next sign-in: the decoy that unknown usernames
     * are checked against has today's parameters, and a hash that costs more or less than it tells an attacker the
     * username exists.
     */
    public boolean needsRehash(String stored) {
        Stored p = parse(stored);
        return p != null && (p.memory() != MEMORY_KIB || p.iterations() != ITERATIONS
                || p.parallelism() != PARALLELISM || p.salt().length != SALT_BYTES || p.hash().length != HASH_BYTES);
    }

    /** The most memory a stored hash may ask of one check: the concurrency bound counts ~20 MiB per check. */
    static final int MAX_MEMORY_KIB = 65_536;

    private record Stored(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {
    }

    /**
     * A stored hash whose parameters this server will run, or null: a hash that would make Argon2 fail (a digest
     * under 4 bytes, base64 that does not decode) or ask for more memory or time than a check is given is refused as
     * malformed, never a 500 at sign-in, never a pod out of memory.
     */
    private static Stored parse(String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches()) {
            return null;
        }
        try {
            int memory = Integer.parseInt(m.group(1));
            int iterations = Integer.parseInt(m.group(2));
            int parallelism = Integer.parseInt(m.group(3));
            if (memory < 8 || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > 10 || parallelism < 1
                    || parallelism > 16 || memory < 8 * parallelism) {
                return null;
            }
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(m.group(4));
            byte[] hash = b64.decode(m.group(5));
            return salt.length < 8 || hash.length < 16 ? null : new Stored(memory, iterations, parallelism, salt, hash);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Spends the time of one verification, for unknown users. */
    public void verifyDecoy(String password) {
        String d = decoy;
        if (d == null) {
            synchronized (this) {
                d = decoy;
                if (d == null) {
                    d = hash("decoy-" + random.nextLong());
                    decoy = d;
                }
            }
        }
        verify(password, d);
    }

    private byte[] bounded(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        boolean acquired;
        try {
            acquired = checks.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        if (!acquired) {
            throw new Busy();
        }
        try {
            return derive(password, salt, memory, iterations, parallelism, length);
        } finally {
            checks.release();
        }
    }

    public static boolean isHash(String value) {
        return parse(value) != null;
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
        System.out.println(new PasswordHasher(1, Duration.ZERO).hash(args[0]));
    }
}
