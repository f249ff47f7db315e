package io.authsuite.auth.requestobject;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same cases against the packaged application (the JVM jar, or the native executable with -Dnative): a client
 * registered through the admin API with its keys, and request objects verified with them.
 */
@QuarkusIntegrationTest
@PackagedMirror
class RequestObjectsIT extends RequestObjectsTest {
}
