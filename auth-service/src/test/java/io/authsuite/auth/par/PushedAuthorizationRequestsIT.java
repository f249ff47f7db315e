package io.authsuite.auth.par;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same cases against the packaged application (the JVM jar, or the native executable with -Dnative): the pushed
 * request is stored in Redis as JSON and read back, which a native image does only for registered types.
 */
@QuarkusIntegrationTest
@PackagedMirror
class PushedAuthorizationRequestsIT extends PushedAuthorizationRequestsTest {
}
