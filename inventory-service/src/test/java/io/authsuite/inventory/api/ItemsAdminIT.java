package io.authsuite.inventory.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class ItemsAdminIT extends ItemsAdminTest {
}
