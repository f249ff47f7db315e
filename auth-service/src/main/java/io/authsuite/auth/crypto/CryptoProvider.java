package io.authsuite.auth.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.authsuite.auth.config.AuthConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC) in front of the JDK's providers, so that RS256 signing runs at the
 * machine's OpenSSL speed: the JDK's RSA private-key operation is about a third of that on the JVM and slower still
 * in a native image, and it bounds token issuance.
 *
 * <p>Installed as the highest-priority provider rather than only for signing: SmallRye JWT (jose4j) asks JCA for
 * {@code SHA256withRSA} without naming a provider, and the rest of what this server does with JCA (SecureRandom for
 * tokens and codes, SHA-256 of secrets, AES-GCM of managed keys) gets the same native implementations. Where ACCP
 * cannot load (another OS or CPU, no writable temp folder for its library on the JVM, or a native executable without
 * {@code libamazonCorrettoCryptoProvider.so} beside it), the JDK's providers stay in charge; one line at startup names
 * the provider that signs.
 */
// A @Singleton is created where it is injected (no client proxy), so the provider is in place before SigningKeys
// generates or loads a key; @Startup installs it even where nothing injects it yet.
@Startup
@Singleton
public class CryptoProvider {

    private static final Logger LOG = Logger.getLogger(CryptoProvider.class);
    static final String ACCP = "AmazonCorrettoCryptoProvider";
    private static final String USE_EXTERNAL_LIB = "com.amazon.corretto.crypto.provider.useExternalLib";
    private static final boolean IN_NATIVE_IMAGE = System.getProperty("org.graalvm.nativeimage.imagecode") != null;

    private final MeterRegistry registry;
    private final CompletableFuture<Void> loaded;
    private volatile String signingProvider;
    private volatile String fallbackReason;

    public CryptoProvider(AuthConfig config, MeterRegistry registry) {
        this.registry = registry;
        if ("jdk".equals(config.cryptoProvider())) {
            settle(removeAccp());
            this.loaded = CompletableFuture.completedFuture(null);
            return;
        }
        if (Security.getProvider(ACCP) != null) {
            settle(null);
            this.loaded = CompletableFuture.completedFuture(null);
            return;
        }
        // Loading ACCP links its 10 MB AWS-LC library (unpacked first on the JVM) and runs its self-tests: about a
        // tenth of a second on the JVM, more in a native image. The server does not wait for it: until it is in, the
        // JDK signs (the signatures are the same), and then the keys move over (SigningKeys). Only a first start that
        // must generate keys waits, as ACCP generates them several times faster.
        this.signingProvider = signingProviderName();
        this.loaded = CompletableFuture.runAsync(() -> settle(installAccp()), task -> {
            Thread t = new Thread(task, "accp-loader");
            t.setDaemon(true);
            t.start();
        });
    }

    private void settle(String reason) {
        this.fallbackReason = reason;
        this.signingProvider = signingProviderName();
        if (reason == null) {
            LOG.infof("RS256 signing through %s (AWS-LC)", signingProvider);
        } else {
            LOG.infof("RS256 signing through the JDK's %s: %s", signingProvider, reason);
        }
        Gauge.builder("authsuite.signing.provider", () -> 1).description("The JCA provider that signs tokens")
                .tag("provider", signingProvider).register(registry);
    }

    /** Blocks until the provider question is settled (ACCP in, or the reason it is not); for key generation. */
    public void awaitSettled() {
        try {
            loaded.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("The crypto provider did not settle: %s", e.toString());
        }
    }

    /** Runs {@code action} once the provider question is settled (at once when it already is). */
    public void whenSettled(Runnable action) {
        loaded.thenRun(action);
    }

    /** Whether ACCP is still being loaded (the JDK signs meanwhile). */
    public boolean loading() {
        return !loaded.isDone();
    }

    /** Installs ACCP first; null on success, else why not. */
    private static String installAccp() {
        try {
            if (Security.getProvider(ACCP) != null) {
                return null;
            }
            if (IN_NATIVE_IMAGE) {
                // The native executable carries no copy of the library to unpack (AccpNativeFeature): ACCP loads the
                // one shipped beside it, which System.loadLibrary finds there first in a native image.
                System.setProperty(USE_EXTERNAL_LIB, System.getProperty(USE_EXTERNAL_LIB, "true"));
            } else if (System.getProperty(USE_EXTERNAL_LIB) == null && onLibraryPath()) {
                // The build puts the library beside the application (quarkus-app/lib/accp); launched with that folder
                // in java.library.path, ACCP loads it from there instead of unpacking and hashing 9.6 MB of its jar on
                // the two cores the start-up needs. Elsewhere (dev mode, tests, a plain java -jar) it unpacks as ever.
                System.setProperty(USE_EXTERNAL_LIB, "true");
            }
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return "Amazon Corretto Crypto Provider cannot load here (" + describe(error) + ")";
            }
            accp.assertHealthy();
            Security.insertProviderAt(accp, 1);
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "Amazon Corretto Crypto Provider cannot load here (" + e + ")";
        }
    }

    /** Whether ACCP's library lies in a folder of {@code java.library.path}, where System.loadLibrary finds it. */
    static boolean onLibraryPath() {
        String library = System.mapLibraryName("amazonCorrettoCryptoProvider");
        for (String folder : System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
            if (!folder.isEmpty() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(folder, library))) {
                return true;
            }
        }
        return false;
    }

    /** The error and what it suppressed: with the library beside a native executable missing, the cause is there. */
    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        for (Throwable suppressed : error.getSuppressed()) {
            text.append("; ").append(suppressed);
        }
        return text.toString();
    }

    /** Providers are global to the JVM: a restart in the same JVM (tests, dev mode) must not keep an earlier one. */
    private static String removeAccp() {
        Security.removeProvider(ACCP);
        return "auth.crypto-provider=jdk";
    }

    private static String signingProviderName() {
        try {
            Provider provider = Signature.getInstance("SHA256withRSA").getProvider();
            return provider.getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no JCA provider signs SHA256withRSA", e);
        }
    }

    /** The name of the JCA provider that signs tokens ({@code AmazonCorrettoCryptoProvider} or {@code SunRsaSign}). */
    public String signingProvider() {
        return signingProvider;
    }

    /**
     * Where ACCP's AWS-LC library came from once ACCP signs: {@code external} (beside the executable or the jar, found
     * through java.library.path) or {@code unpacked} (from ACCP's jar into java.io.tmpdir); null otherwise.
     */
    public String library() {
        if (loading() || fallbackReason != null || !ACCP.equals(signingProvider)) {
            return null;
        }
        return Boolean.parseBoolean(System.getProperty(USE_EXTERNAL_LIB)) ? "external" : "unpacked";
    }

    /** Why ACCP does not sign, or null when it does (or is still loading). */
    public String fallbackReason() {
        return fallbackReason;
    }
}
