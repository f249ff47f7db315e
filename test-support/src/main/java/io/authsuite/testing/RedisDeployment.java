package io.authsuite.testing;

import java.util.Map;

/** A Redis the services of a test run against: one server, or a primary with a replica behind Sentinels. */
public interface RedisDeployment extends AutoCloseable {

    /** The environment that connects a packaged service as {@code user} (a user of {@code redis/users.acl}). */
    Map<String, String> serviceEnv(String user);

    /** One command as the operator ({@code default}) on the server that takes writes. */
    String command(String... args);

    @Override
    void close();
}
