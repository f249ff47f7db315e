package io.authsuite.orders.dpop;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The DPoP rules against the packaged (or native) executable: EC keys and jose4j's parsing included. */
@QuarkusIntegrationTest
@PackagedMirror
class DpopBoundTokensIT extends DpopBoundTokensTest {
}
