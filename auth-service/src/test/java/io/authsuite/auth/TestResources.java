package io.authsuite.auth;

import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** The resources every test of this module runs with: a real Redis and the test clients. */
@QuarkusTestResource(value = RedisTestResource.class, initArgs = @ResourceArg(name = "user", value = "auth-service"))
@QuarkusTestResource(TestClients.class)
public final class TestResources {
    private TestResources() {
    }
}
