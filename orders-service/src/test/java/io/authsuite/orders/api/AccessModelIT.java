package io.authsuite.orders.api;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The access table against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
@PackagedMirror
class AccessModelIT extends AccessModelTest {
}
