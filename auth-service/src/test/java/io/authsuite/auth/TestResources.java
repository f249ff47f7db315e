package io.authsuite.auth;

import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** The resources every test of this module runs with: a real Redis and the test clients. */
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(TestClients.class)
public final class TestResources {
    private TestResources() {
    }
}
