package io.authsuite.auth.cors;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
@PackagedMirror
class CrossOriginRequestsIT extends CrossOriginRequestsTest {
}
