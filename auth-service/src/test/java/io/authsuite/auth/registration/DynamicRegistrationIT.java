package io.authsuite.auth.registration;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same cases against the packaged application (the JVM jar, or the native executable with -Dnative): client
 * metadata crosses JSON both ways, and hostile shapes of it must get the same 400 in native.
 */
@QuarkusIntegrationTest
@PackagedMirror
class DynamicRegistrationIT extends DynamicRegistrationTest {
}
