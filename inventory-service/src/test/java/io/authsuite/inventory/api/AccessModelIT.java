package io.authsuite.inventory.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The access table against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class AccessModelIT extends AccessModelTest {
}
