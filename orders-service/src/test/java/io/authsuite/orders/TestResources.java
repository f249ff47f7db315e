package io.authsuite.orders;

import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;

/** Every test of this module runs with a real Redis and the test token issuer. */
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(TestIssuer.class)
public final class TestResources {
    private TestResources() {
    }
}
