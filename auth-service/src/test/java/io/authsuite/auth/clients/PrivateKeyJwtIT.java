package io.authsuite.auth.clients;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application: with -Dnative, jose4j's RSA, PSS and EC checks in the native image. */
@QuarkusIntegrationTest
@PackagedMirror
class PrivateKeyJwtIT extends PrivateKeyJwtTest {
}
