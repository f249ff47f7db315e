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
import org.jboss.logging.Logger;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC) in front of the JDK's providers, so that RS256 signing runs at the
 * machine's OpenSSL speed: the JDK's RSA private-key operation is about a third of that on the JVM and slower still
 * in a native image, and it bounds token issuance.
 *
 * <p>Installed as the highest-priority provider rather than only for signing: SmallRye JWT (jose4j) asks JCA for
 * {@code SHA256withRSA} without naming a provider, and the rest of what this server does with JCA (SecureRandom for
 * tokens and codes, SHA-256 of secrets, AES-GCM of managed keys) gets the same native implementations. Where ACCP
 * cannot load (another OS or CPU, or no writable temp folder for its library), the JDK's providers stay in charge;
 * one line at startup names the provider that signs.
 */
// A @Singleton is created where it is injected (no client proxy), so the provider is in place before SigningKeys
// generates or loads a key; @Startup installs it even where nothing injects it yet.
@Startup
@Singleton
public class CryptoProvider {

    private static final Logger LOG = Logger.getLogger(CryptoProvider.class);
    static final String ACCP = "AmazonCorrettoCryptoProvider";

    private final String signingProvider;
    private final String fallbackReason;

    public CryptoProvider(AuthConfig config, MeterRegistry registry) {
        String reason = "jdk".equals(config.cryptoProvider()) ? removeAccp() : installAccp();
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

    /** Installs ACCP first; null on success, else why not. */
    private static String installAccp() {
        try {
            if (Security.getProvider(ACCP) != null) {
                return null;
            }
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return "Amazon Corretto Crypto Provider cannot load here (" + error + ")";
            }
            accp.assertHealthy();
            Security.insertProviderAt(accp, 1);
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "Amazon Corretto Crypto Provider cannot load here (" + e + ")";
        }
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

    /** Why ACCP does not sign, or null when it does. */
    public String fallbackReason() {
        return fallbackReason;
    }
}
