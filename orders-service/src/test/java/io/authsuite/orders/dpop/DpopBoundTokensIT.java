package io.authsuite.orders.dpop;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The DPoP rules against the packaged (or native) executable: EC keys and jose4j's parsing included. */
@QuarkusIntegrationTest
class DpopBoundTokensIT extends DpopBoundTokensTest {
}
