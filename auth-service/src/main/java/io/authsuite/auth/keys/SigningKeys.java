package io.authsuite.auth.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.RevocationStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The key set: the active signing key and every key published for verification. Three sources:
 * <ul>
 * <li><b>managed</b> ({@code auth.keys.encryption-key} set): keys live in Redis sealed with AES-256-GCM and are
 * rotated and retired by this server; every replica reloads the set every few seconds. The next key is published a
 * whole rotation period before it signs, the previous one until every token it signed has expired. With
 * {@code auth.keys.dir} as well, a fleet's first start takes the folder's keys into the new set.</li>
 * <li><b>files</b> ({@code auth.keys.dir}): PKCS#8 PEM files from a mounted Secret, rotated by the operator.</li>
 * <li><b>generated</b> ({@code auth.keys.generate}): one in-memory key, for dev and tests without replicas.</li>
 * </ul>
 * The kid is the RFC 7638 thumbprint of the public key, the same on every replica.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** What signs and what is published, swapped as a whole. */
    private record Snapshot(SigningKey active, List<SigningKey> published, String jwksJson) {
    }

    /** The key set changed under a retirement twice in a row; the caller answers 409 and the admin looks again. */
    public static final class KeySetChanged extends RuntimeException {
        public KeySetChanged() {
            super("the key set changed meanwhile", null, false, false);
        }
    }

    private final AuthConfig config;
    private final ManagedKeyStore managed;
    private final RevocationStore revocations;
    private final io.authsuite.auth.crypto.CryptoProvider crypto;
    private volatile Snapshot snapshot;
    /** Epoch second the managed active key became active; -1 for keys from files or generated ones. */
    private volatile long activeSince = -1;
    /** When the earliest previous key of the last reload may be dropped; Long.MAX_VALUE when none will. */
    private volatile long pruneDueAt = Long.MAX_VALUE;
    /** The next key being found and published after a fleet's first start; done otherwise. */
    private volatile CompletableFuture<Void> nextKey = CompletableFuture.completedFuture(null);
    /** Whether the last reload found a next key. */
    private volatile boolean hasNext = true;

    /** Takes {@link CryptoProvider} so that the provider is in place before any key is generated or used. */
    public SigningKeys(AuthConfig config, RedisDataSource redis, ObjectMapper json, RevocationStore revocations,
                       io.authsuite.auth.crypto.CryptoProvider crypto,
                       MeterRegistry metrics) {
        // The alert "signing key older than its rotation period" compares these two (k8s/components/monitoring).
        Gauge.builder("authsuite.signing.key.age.seconds",
                        () -> activeSince < 0 ? Double.NaN : ManagedKeyStore.now() - activeSince)
                .description("How long the active signing key has signed (managed keys only)").register(metrics);
        Gauge.builder("authsuite.signing.key.rotation.period.seconds",
                        () -> (double) config.keys().rotationPeriod().toSeconds())
                .description("auth.keys.rotation-period").register(metrics);
        this.config = config;
        this.revocations = revocations;
        this.crypto = crypto;
        AuthConfig.Keys settings = config.keys();
        if (settings.encryptionKey().isPresent()) {
            this.managed = new ManagedKeyStore(redis, json, new KeyEncryption(settings.encryptionKey().get()));
            initializeManaged(settings);
            reload();
        } else if (settings.dir().isPresent()) {
            this.managed = null;
            this.snapshot = fromFiles(settings);
        } else if (settings.generate()) {
            this.managed = null;
            SigningKey key = generate(settings.generatedSize());
            this.snapshot = snapshot(key, List.of(key));
            LOG.warnf("Signing with a generated in-memory key %s: tokens do not survive a restart (dev/test only)", key.kid());
        } else {
            throw new IllegalStateException("No signing key: set AUTH_KEYS_ENCRYPTION_KEY (managed keys in Redis) "
                    + "or AUTH_KEYS_DIR (a folder of PEM keys)");
        }
        LOG.infof("Signing with key %s; publishing %d key(s)", active().kid(), published().size());
        settings.revoked().ifPresent(this::denyRevoked);
        crypto.whenSettled(this::adoptProvider);
    }

    /**
     * Puts the kids of {@code auth.keys.revoked} on the revocation feed: every resource service refuses their tokens
     * at once, including ones it verified and remembers, and forged ones its cached JWKS would still accept. Without
     * Redis the start fails: a replica must not come up having skipped a revocation.
     */
    private void denyRevoked(Set<String> kids) {
        refuseRevoked(published(), kids, "is still published: remove it from the keys first");
        long until = ManagedKeyStore.now() + maxTokenLifetime();
        kids.forEach(kid -> revocations.denyKey(kid, until));
        LOG.warnf("Revoked keys (auth.keys.revoked) denied on the revocation feed: %s", String.join(", ", kids));
    }

    /** Fails when one of {@code keys} is named in {@code auth.keys.revoked}. */
    static void refuseRevoked(List<SigningKey> keys, Set<String> revoked, String why) {
        for (SigningKey key : keys) {
            if (revoked.contains(key.kid())) {
                throw new IllegalStateException("auth.keys.revoked names key " + key.kid() + ", which " + why);
            }
        }
    }

    /** The longest a token signed now can be accepted: the access and ID token lifetimes, and then some. */
    private long maxTokenLifetime() {
        return config.accessToken().ttl().toSeconds() + config.idToken().ttl().toSeconds() + 300;
    }

    /**
     * Re-creates the key objects through the provider now in front, once ACCP has loaded in the background, so that
     * signing uses its native key form rather than converting the JDK's on every signature.
     */
    private synchronized void adoptProvider() {
        Snapshot current = snapshot;
        Map<String, SigningKey> moved = new java.util.HashMap<>();
        for (SigningKey k : current.published()) {
            moved.put(k.kid(), translated(k));
        }
        moved.putIfAbsent(current.active().kid(), translated(current.active()));
        snapshot = new Snapshot(moved.get(current.active().kid()),
                current.published().stream().map(k -> moved.get(k.kid())).toList(), current.jwksJson());
    }

    private static SigningKey translated(SigningKey key) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            return new SigningKey(key.kid(), (RSAPrivateKey) factory.translateKey(key.privateKey()),
                    (RSAPublicKey) factory.translateKey(key.publicKey()));
        } catch (GeneralSecurityException | ClassCastException e) {
            return key;
        }
    }

    public SigningKey active() {
        return snapshot.active();
    }

    public List<SigningKey> published() {
        return snapshot.published();
    }

    /** The public JWK Set (RFC 7517 §5), rendered once per key-set change. */
    public String jwksJson() {
        return snapshot.jwksJson();
    }

    public boolean isManaged() {
        return managed != null;
    }

    /** The managed keys' public facts (no key material), for the admin API. */
    public List<Map<String, Object>> describe() {
        requireManaged();
        return managed.load().stream().sorted(Comparator.comparingLong(ManagedKeyStore.StoredKey::created))
                .map(k -> Map.<String, Object>of("kid", k.kid(), "state", k.state(), "created", k.created(),
                        "activated", k.activated(), "retireAfter", k.retireAfter()))
                .toList();
    }

    /** Re-reads the managed key set (every replica does so on a schedule). */
    public synchronized void reload() {
        // One reload at a time, each reading Redis inside the lock: the scheduled reload that read the set before an
        // admin's rotation otherwise installed its older snapshot after the rotation's own, and served a JWKS without
        // the key it was signing with; a resource server refreshing then kept that JWKS (KeyRotationIT saw the 401).
        if (managed == null) {
            return;
        }
        List<ManagedKeyStore.StoredKey> stored = managed.load();
        SigningKey active = null;
        List<SigningKey> published = new ArrayList<>();
        long pruneAt = Long.MAX_VALUE;
        for (ManagedKeyStore.StoredKey k : stored) {
            SigningKey key = cachedOrOpen(k);
            published.add(key);
            if (k.state().equals("active")) {
                active = key;
                activeSince = k.activated();
            } else if (k.state().equals("previous") && k.retireAfter() > 0) {
                pruneAt = Math.min(pruneAt, k.retireAfter());
            }
        }
        pruneDueAt = pruneAt;
        hasNext = has(stored, "next");
        if (active == null) {
            throw new IllegalStateException("the managed key set in Redis has no active key");
        }
        Snapshot next = snapshot(active, published);
        Snapshot previous = snapshot;
        snapshot = next;
        if (previous != null && !previous.active().kid().equals(active.kid())) {
            LOG.infof("Now signing with key %s", active.kid());
        }
    }

    /**
     * Rotates when the active key is older than the rotation period, or now when {@code force}: the next key signs,
     * the active one stays published until its tokens have expired, a new next key is published.
     *
     * @return true when this call rotated
     */
    public boolean rotate(boolean force) {
        return rotate(force, false);
    }

    /**
     * @param compromised the active key is being retired: the next key signs at once, however new. Verifiers that
     *                    have not read the JWKS since it was published refuse its tokens until they do (the resource
     *                    services read it again on an unknown kid, at most once a minute).
     */
    private boolean rotate(boolean force, boolean compromised) {
        requireManaged();
        if (force) {
            awaitNextKey();
        }
        long now = ManagedKeyStore.now();
        // The scheduled check runs every reload interval: as the key set was just read, a rotation that is not due
        // costs no transaction (another replica's rotation only makes the active key newer).
        if (!force && activeSince >= 0 && now - activeSince < config.keys().rotationPeriod().toSeconds()) {
            return false;
        }
        long keepFor = config.accessToken().ttl().toSeconds() + config.idToken().ttl().toSeconds() + 300;
        // A key is generated only when a rotation is due, not on every scheduled check.
        boolean[] wrote = {false};
        boolean committed = managed.update(current -> {
            Optional<ManagedKeyStore.StoredKey> active = current.values().stream().filter(k -> k.state().equals("active")).findFirst();
            Optional<ManagedKeyStore.StoredKey> next = current.values().stream().filter(k -> k.state().equals("next")).findFirst();
            if (active.isEmpty() || next.isEmpty()) {
                return Optional.empty();
            }
            boolean due = now - active.get().activated() >= config.keys().rotationPeriod().toSeconds();
            if (!force && !due) {
                return Optional.empty();
            }
            // OIDC Core §10.1.1: a verifier finds a new kid by fetching the JWKS again, and caches it meanwhile; the
            // next key signs only once every replica and every cached JWKS has had time to hold it.
            if (!compromised && secondsUntilSignable(next.get(), now) > 0) {
                return Optional.empty();
            }
            wrote[0] = true;
            return Optional.of(List.of(
                    active.get().with("previous", active.get().activated(), now + keepFor),
                    next.get().with("active", now, 0),
                    managed.seal(generate(config.keys().generatedSize()), "next", now)));
        });
        boolean rotated = committed && wrote[0];
        if (rotated) {
            reload();
        }
        return rotated;
    }

    /**
     * Seconds until the next key has been published long enough to sign ({@code auth.keys.publish-before-signing});
     * 0 when it may sign now or there is none.
     */
    public long secondsUntilNextMaySign() {
        requireManaged();
        awaitNextKey();
        long now = ManagedKeyStore.now();
        return managed.load().stream().filter(k -> k.state().equals("next"))
                .mapToLong(k -> secondsUntilSignable(k, now)).findFirst().orElse(0);
    }

    private long secondsUntilSignable(ManagedKeyStore.StoredKey next, long now) {
        return Math.max(0, next.created() + config.keys().publishBeforeSigning().toSeconds() - now);
    }

    /** Drops previous keys whose tokens have all expired. */
    public void prune() {
        requireManaged();
        long now = ManagedKeyStore.now();
        // Every change of the set here reloads it, and the schedule reloads before it prunes: nothing due, no write.
        if (now < pruneDueAt) {
            return;
        }
        managed.update(current -> {
            List<ManagedKeyStore.StoredKey> expired = current.values().stream()
                    .filter(k -> k.state().equals("previous") && k.retireAfter() > 0 && k.retireAfter() <= now)
                    .map(k -> k.with("remove", k.activated(), k.retireAfter())).toList();
            return expired.isEmpty() ? Optional.empty() : Optional.of(expired);
        });
    }

    /**
     * Retires a key now: it is no longer published, and every token it signed is refused everywhere (the kid is
     * denied through the revocation feed). Retiring the active key first rotates to the next one.
     *
     * @return false when no such key exists
     * @throws KeySetChanged when other writers kept changing the key set and the key is still in it
     */
    public boolean retire(String kid) {
        requireManaged();
        awaitNextKey();
        // The replacement of a retired next key: found once, outside the transactions, so that the window between
        // WATCH and EXEC holds no prime search.
        SigningKey[] replacement = {null};
        // Other writers change the key set at any moment (every replica prunes at the same instant, a scheduled
        // rotation, another admin), and a changed set drops this transaction: a compromised key is reported retired
        // only once its record is gone.
        for (int attempt = 0; attempt < RETIRE_ATTEMPTS; attempt++) {
            if (active().kid().equals(kid)) {
                moveOff(kid);
            }
            Removal removal = remove(kid, replacement);
            if (removal == Removal.ABSENT) {
                return false;
            }
            if (removal == Removal.REMOVED) {
                // "Revoke everything" signed by this key: refused at once by auth-service and every resource service.
                revocations.denyKey(kid, ManagedKeyStore.now() + maxTokenLifetime());
                reload();
                return true;
            }
            // Promoted by a rotation meanwhile, or the set changed: look again.
            reload();
        }
        throw new KeySetChanged();
    }

    private static final int RETIRE_ATTEMPTS = 5;

    private enum Removal { REMOVED, ABSENT, ACTIVE, CONFLICT }

    /** Moves signing off the active key {@code kid}: a compromised key must not stay active. */
    private void moveOff(String kid) {
        if (rotate(true, true)) {
            return;
        }
        // No next key to move to (a fleet's first start not finished on the replica that made it, or a lost record),
        // or another replica rotated meanwhile.
        reload();
        if (active().kid().equals(kid)) {
            publishNext(generate(config.keys().generatedSize()));
            if (!rotate(true, true)) {
                throw new KeySetChanged();
            }
        }
    }

    private Removal remove(String kid, SigningKey[] replacement) {
        if (replacement[0] == null && managed.load().stream()
                .anyMatch(k -> k.kid().equals(kid) && k.state().equals("next"))) {
            replacement[0] = generate(config.keys().generatedSize());
        }
        Removal[] seen = {Removal.ABSENT};
        boolean committed = managed.update(current -> {
            ManagedKeyStore.StoredKey key = current.get(kid);
            if (key == null) {
                seen[0] = Removal.ABSENT;
                return Optional.empty();
            }
            if (key.state().equals("active")) {
                seen[0] = Removal.ACTIVE;
                return Optional.empty();
            }
            seen[0] = Removal.REMOVED;
            List<ManagedKeyStore.StoredKey> writes = new ArrayList<>();
            writes.add(key.with("remove", key.activated(), key.retireAfter()));
            if (key.state().equals("next")) {
                if (replacement[0] == null) {
                    replacement[0] = generate(config.keys().generatedSize());
                }
                writes.add(managed.seal(replacement[0], "next", ManagedKeyStore.now()));
            }
            return Optional.of(writes);
        });
        return seen[0] == Removal.REMOVED && !committed ? Removal.CONFLICT : seen[0];
    }

    private void initializeManaged(AuthConfig.Keys settings) {
        // Keys are generated only when Redis has none yet: a replica joining a fleet (or restarting) skips it.
        if (has(managed.load(), "active")) {
            settings.dir().ifPresent(dir -> LOG.infof("auth.keys.dir (%s) is not read: the managed key set in Redis "
                    + "exists and is the only source of keys", dir));
            return;
        }
        if (settings.dir().isPresent()) {
            seedFromFiles(settings);
            return;
        }
        // A fleet's first start. Finding an RSA-2048 key is a random prime search (0.05-0.3 s here even through
        // ACCP), the longest step of that start; only the signing key is needed to serve. Two searches race side by
        // side: the first key found signs, the other is published as the next key once found, after the start.
        CompletableFuture<SigningKey> one = generateInBackground();
        CompletableFuture<SigningKey> two = generateInBackground();
        SigningKey first = (SigningKey) CompletableFuture.anyOf(one, two).join();
        CompletableFuture<SigningKey> other = !one.isCompletedExceptionally() && one.getNow(null) == first ? two : one;
        long now = ManagedKeyStore.now();
        if (written(current -> has(current.values(), "active")
                ? Optional.empty() : Optional.of(List.of(managed.seal(first, "active", now))))) {
            LOG.infof("Created the managed key set: active %s; its next key follows once found", first.kid());
            nextKey = other.thenAccept(key -> {
                if (publishNext(key)) {
                    LOG.infof("Published the next signing key %s", key.kid());
                }
            }).exceptionally(e -> {
                LOG.warnf("The next signing key was not published (the scheduled check retries): %s", e.getMessage());
                return null;
            });
        }
    }

    /**
     * A fleet's first start with managed keys and a folder of keys as well: the set starts from the folder's keys,
     * its active key signing and the others published until every token they may have signed has expired. Tokens
     * signed before a switch from files to managed keys keep verifying, and a fleet whose first key was made by the
     * deployment's tooling starts without a prime search. The next key is searched for by the scheduled check.
     */
    private void seedFromFiles(AuthConfig.Keys settings) {
        Snapshot files = fromFiles(settings);
        // Checked before anything is written: once in Redis, a revoked key would stop every later start too.
        refuseRevoked(files.published(), settings.revoked().orElse(Set.of()),
                "is in auth.keys.dir: remove it from the folder first");
        long now = ManagedKeyStore.now();
        long retireAfter = now + maxTokenLifetime();
        List<ManagedKeyStore.StoredKey> records = new ArrayList<>();
        records.add(managed.seal(files.active(), "active", now));
        for (SigningKey key : files.published()) {
            if (!key.kid().equals(files.active().kid())) {
                records.add(managed.seal(key, "previous", now).with("previous", 0, retireAfter));
            }
        }
        // No prime search now: beside the start it would take a core the start needs (0.12 s to ready natively
        // against 0.09 s). The scheduled check finds the set without a next key and publishes one (ensureNextKey).
        if (written(current -> has(current.values(), "active") ? Optional.empty() : Optional.of(records))) {
            LOG.infof("Created the managed key set from auth.keys.dir: active %s, %d previous; the scheduled check "
                    + "publishes its next key", files.active().kid(), records.size() - 1);
        }
    }

    private static boolean has(java.util.Collection<ManagedKeyStore.StoredKey> keys, String state) {
        return keys.stream().anyMatch(k -> k.state().equals(state));
    }

    private CompletableFuture<SigningKey> generateInBackground() {
        return CompletableFuture.supplyAsync(() -> generate(config.keys().generatedSize()),
                task -> Thread.ofPlatform().daemon().name("signing-key-generator").start(task));
    }

    /**
     * Publishes a next key when the managed set has none: after a fleet's first start, and on the scheduled check
     * when a replica stopped before publishing it (or the record was lost), since without a next key the set can
     * never rotate.
     *
     * @return true when this call published one
     */
    public boolean ensureNextKey() {
        requireManaged();
        // The schedule reloads just before: no extra read of the set while it has its next key. Read again before a
        // prime search: the replica that made a new set may have published its next key since.
        if (hasNext || !nextKey.isDone() || has(managed.load(), "next")) {
            return false;
        }
        return publishNext(generate(config.keys().generatedSize()));
    }

    private boolean publishNext(SigningKey key) {
        long now = ManagedKeyStore.now();
        boolean published = written(current -> {
            boolean hasActive = has(current.values(), "active");
            return !hasActive || has(current.values(), "next")
                    ? Optional.empty() : Optional.of(List.of(managed.seal(key, "next", now)));
        });
        if (published) {
            reload();
        }
        return published;
    }

    /**
     * Applies {@code change} to the key set, again when another replica changed the set meanwhile (five tries): true
     * when this call's write was stored, false when the change found nothing to do or kept losing.
     */
    private boolean written(java.util.function.Function<Map<String, ManagedKeyStore.StoredKey>,
            Optional<List<ManagedKeyStore.StoredKey>>> change) {
        boolean[] wrote = {false};
        for (int attempt = 0; attempt < 5; attempt++) {
            if (managed.update(current -> {
                Optional<List<ManagedKeyStore.StoredKey>> writes = change.apply(current);
                wrote[0] = writes.isPresent();
                return writes;
            })) {
                return wrote[0];
            }
        }
        return false;
    }

    /** An admin's rotation or retirement right after a first start waits for the next key rather than failing. */
    private void awaitNextKey() {
        try {
            nextKey.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Not published in time: the rotation finds no next key and says the set changed; the schedule repairs it.
        }
    }

    private SigningKey cachedOrOpen(ManagedKeyStore.StoredKey stored) {
        Snapshot current = snapshot;
        if (current != null) {
            for (SigningKey k : current.published()) {
                if (k.kid().equals(stored.kid())) {
                    return k;
                }
            }
        }
        return managed.open(stored);
    }

    private void requireManaged() {
        if (managed == null) {
            throw new IllegalStateException("keys are not managed by this server (set auth.keys.encryption-key)");
        }
    }

    private static Snapshot fromFiles(AuthConfig.Keys settings) {
        Map<String, SigningKey> byName = load(settings.dir().get());
        String activeName = settings.active().orElseGet(() -> {
            if (byName.size() != 1) {
                throw new IllegalStateException("auth.keys.dir holds " + byName.size()
                        + " keys: set auth.keys.active to the file name (without .pem) of the signing key");
            }
            return byName.keySet().iterator().next();
        });
        SigningKey active = byName.get(activeName);
        if (active == null) {
            throw new IllegalStateException("auth.keys.active=" + activeName + " has no " + activeName + ".pem");
        }
        return snapshot(active, List.copyOf(byName.values()));
    }

    private static Snapshot snapshot(SigningKey active, List<SigningKey> published) {
        return new Snapshot(active, List.copyOf(published), toJwks(published));
    }

    private static Map<String, SigningKey> load(Path dir) {
        Map<String, SigningKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path file : files) {
                String name = file.getFileName().toString().replaceFirst("\\.pem$", "");
                keys.put(name, fromPem(Files.readString(file, StandardCharsets.US_ASCII), file));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keys from " + dir, e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no *.pem signing key in " + dir);
        }
        return keys;
    }

    static SigningKey fromPem(String pem, Path source) {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(source + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not a valid RSA private key", e);
        }
        return toSigningKey(privateKey(der, source.toString()), null);
    }

    static RSAPrivateKey privateKey(byte[] pkcs8, String source) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException(source + " is not a valid RSA private key", e);
        }
    }

    /** Derives the public key and kid; checks the kid when one is expected. */
    static SigningKey toSigningKey(RSAPrivateKey privateKey, String expectedKid) {
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalStateException("the RSA key lacks its CRT parameters");
        }
        if (crt.getModulus().bitLength() < 2048) {
            // RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used with RS256.
            throw new IllegalStateException("RSA keys must be at least 2048 bits");
        }
        try {
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            String kid = thumbprint(publicKey);
            if (expectedKid != null && !expectedKid.equals(kid)) {
                throw new IllegalStateException("stored key " + expectedKid + " does not match its kid");
            }
            return new SigningKey(kid, privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SigningKey generate(int bits) {
        // A first start waits for ACCP here: it generates RSA keys several times faster than the JDK.
        crypto.awaitSettled();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(Math.max(bits, 2048));
            return toSigningKey((RSAPrivateKey) generator.generateKeyPair().getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static String toJwks(List<SigningKey> keys) {
        List<JsonWebKey> jwks = new ArrayList<>();
        for (SigningKey key : keys) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            jwks.add(jwk);
        }
        // PUBLIC_ONLY: the private parts never leave this process (RFC 7517 §9.2).
        return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
