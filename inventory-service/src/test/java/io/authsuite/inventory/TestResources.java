package io.authsuite.inventory;

import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every test of this module runs with a real Redis and the test token issuer. */
@QuarkusTestResource(value = RedisTestResource.class, initArgs = @ResourceArg(name = "user", value = "inventory-service"))
@QuarkusTestResource(TestIssuer.class)
public final class TestResources {
    private TestResources() {
    }
}
