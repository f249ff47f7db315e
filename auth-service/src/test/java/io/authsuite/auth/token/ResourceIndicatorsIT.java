package io.authsuite.auth.token;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same cases against the packaged application (the JVM jar, or the native executable with -Dnative): resources
 * at the authorization endpoint, a pushed request and the token endpoint.
 */
@QuarkusIntegrationTest
@PackagedMirror
class ResourceIndicatorsIT extends ResourceIndicatorsTest {
}
