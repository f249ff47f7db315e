package io.authsuite.auth.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeJNIAccess;
import org.graalvm.nativeimage.hosted.RuntimeReflection;
import org.graalvm.nativeimage.hosted.RuntimeResourceAccess;

/**
 * Makes Amazon Corretto Crypto Provider work in the native executable (its jar brings no native-image
 * configuration; ACCP issue #177). Used only by the native build ({@code --features} in application.properties);
 * the JVM never loads this class.
 * <ul>
 *   <li>Reflection for every ACCP class: it creates its services through class loading and method handles.</li>
 *   <li>Its resources (version and self-test data), but not its AWS-LC library:
 *   {@code libamazonCorrettoCryptoProvider.so} is written beside the executable instead, where Quarkus copies it to
 *   {@code target/} with the runner and where the native image's {@code System.loadLibrary} looks first
 *   ({@link CryptoProvider} has ACCP load it from there). As a resource the 9.6 MB library sat in the image heap, and
 *   unpacking it to {@code java.io.tmpdir} at every start read all of it, so it stayed in the process' RSS beside the
 *   copy that was loaded.</li>
 *   <li>JNI access to the exception constructors its native code throws with.</li>
 *   <li>Its providers accepted as verified. A native image accepts only JCE providers verified at build time; with
 *   {@code --future-defaults=run-time-initialize-security-providers} they are matched by name, and ACCP's self-tests
 *   create one named {@code "test provider"} at run time. There is no public API for this: the builder's
 *   {@code SecurityProvidersSupport} is called reflectively (exported with {@code -J--add-exports}); re-check it on
 *   every GraalVM/Mandrel upgrade. Without it every ACCP algorithm refuses to start and the JDK signs instead.</li>
 * </ul>
 */
public final class AccpNativeFeature implements Feature {

    private static final String PACKAGE = "com/amazon/corretto/crypto/provider/";
    /** The AWS-LC library, as ACCP names it for {@code System.loadLibrary}. */
    static final String LIBRARY = System.mapLibraryName("amazonCorrettoCryptoProvider");
    private static final List<String> PROVIDER_NAMES = List.of(CryptoProvider.ACCP, "test provider");
    private static final List<String> THROWN_FROM_NATIVE = List.of("java.lang.IllegalArgumentException",
            "java.lang.IllegalStateException", "java.lang.IndexOutOfBoundsException", "java.lang.ArithmeticException",
            "java.lang.OutOfMemoryError", "java.lang.UnsupportedOperationException", "java.lang.RuntimeException",
            "java.lang.NullPointerException", "java.lang.ArrayIndexOutOfBoundsException",
            "java.security.SignatureException", "java.security.InvalidKeyException",
            "java.security.spec.InvalidKeySpecException", "javax.crypto.BadPaddingException",
            "javax.crypto.ShortBufferException", "javax.crypto.AEADBadTagException",
            "com.amazon.corretto.crypto.provider.RuntimeCryptoException");

    @Override
    public String getDescription() {
        return "Amazon Corretto Crypto Provider: reflection, resources, JNI and provider verification";
    }

    private Path jar;

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        jar = access.getApplicationClassPath().stream()
                .filter(p -> p.getFileName().toString().contains("AmazonCorrettoCryptoProvider"))
                .findFirst().orElse(null);
        if (jar == null) {
            return; // Built without ACCP: the JDK signs.
        }
        for (String entry : entries(jar)) {
            if (entry.endsWith(".class")) {
                Class<?> type = access.findClassByName(entry.substring(0, entry.length() - 6).replace('/', '.'));
                if (type != null) {
                    RuntimeReflection.register(type);
                    RuntimeReflection.register(type.getDeclaredConstructors());
                    RuntimeReflection.register(type.getDeclaredMethods());
                    RuntimeReflection.register(type.getDeclaredFields());
                }
            } else if (!entry.endsWith("/" + LIBRARY)) {
                RuntimeResourceAccess.addResource(access.findClassByName(
                        "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider").getModule(), entry);
            }
        }
        for (String name : THROWN_FROM_NATIVE) {
            Class<?> type = access.findClassByName(name);
            if (type != null) {
                RuntimeJNIAccess.register(type);
                for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                    RuntimeJNIAccess.register(constructor);
                }
            }
        }
        markVerified();
    }

    /** Ships the AWS-LC library beside the executable (Quarkus copies every {@code *.so} there to target/). */
    @Override
    public void afterImageWrite(AfterImageWriteAccess access) {
        if (jar == null) {
            return;
        }
        Path target = access.getImagePath().resolveSibling(LIBRARY);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry library = zip.getEntry(PACKAGE + LIBRARY);
            if (library == null) {
                throw new IllegalStateException(jar + " holds no " + PACKAGE + LIBRARY);
            }
            try (InputStream in = zip.getInputStream(library)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + target + " from " + jar, e);
        }
    }

    private static void markVerified() {
        try {
            Class<?> support = Class.forName("com.oracle.svm.core.jdk.SecurityProvidersSupport");
            Object singleton = support.getMethod("singleton").invoke(null);
            Method add = support.getMethod("addVerifiedSecurityProvider", String.class, Object.class);
            for (String name : PROVIDER_NAMES) {
                add.invoke(singleton, name, Boolean.TRUE);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot mark Amazon Corretto Crypto Provider as verified in this "
                    + "GraalVM (its internal SecurityProvidersSupport changed?)", e);
        }
    }

    private static List<String> entries(Path jar) {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(PACKAGE)) {
                    names.add(entry.getName());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar, e);
        }
        return names;
    }
}
