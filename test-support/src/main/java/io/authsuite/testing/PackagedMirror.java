package io.authsuite.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A {@code @QuarkusIntegrationTest} that runs a {@code @QuarkusTest}'s cases again ({@code FooIT extends FooTest})
 * against the packaged application: the native executable in {@code make native-test}, where it proves that native
 * answers as the JVM does, and the JVM jar in {@code make test-packaged}, which CI runs. {@code make test} has just
 * run the same cases in the JVM, so it leaves these out (the failsafe configuration excludes this tag unless told
 * otherwise) to stay a fast check.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(PackagedMirror.TAG)
public @interface PackagedMirror {
    String TAG = "packaged";
}
