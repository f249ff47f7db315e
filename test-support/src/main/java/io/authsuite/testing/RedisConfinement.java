package io.authsuite.testing;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a service's Redis user may and may not do ({@code redis/users.acl}): its own key prefix, read-only the keys
 * it follows, and nothing of the others, of the keyspace as a whole, or of the server's administration. Sent over
 * the service's own connection, so the check also proves the service logs in as that user.
 */
public final class RedisConfinement {

    /** Sends one command; returns the reply as text, or the error reply (e.g. {@code NOPERM ...}) prefixed by '-'. */
    @FunctionalInterface
    public interface Connection {
        String send(String... command);
    }

    /** The service's own connection (its injected data source). */
    public static Connection over(RedisDataSource redis) {
        return command -> {
            try {
                Response reply = redis.execute(command[0], Arrays.copyOfRange(command, 1, command.length));
                return String.valueOf(reply);
            } catch (RuntimeException e) {
                return "-" + e.getMessage();
            }
        };
    }

    /** One command, and whether the user may run it. */
    public record Case(String name, boolean allowed, String... command) {
    }

    private RedisConfinement() {
    }

    /**
     * The cases for {@code user}, owner of {@code ownPrefix} (say {@code orders:}), reading {@code readOnlyKeys}
     * and touching nothing under {@code foreignKeys}.
     */
    public static List<Case> cases(String ownPrefix, List<String> readOnlyKeys, List<String> foreignKeys) {
        List<Case> cases = new ArrayList<>();
        String own = ownPrefix + "confinement-probe";
        cases.add(new Case("write own key", true, "SET", own, "1"));
        cases.add(new Case("read own key", true, "GET", own));
        cases.add(new Case("script on own key", true, "EVAL", "return redis.call('GET', KEYS[1])", "1", own));
        cases.add(new Case("delete own key", true, "DEL", own));
        for (String key : readOnlyKeys) {
            cases.add(new Case("read " + key, true, "TYPE", key));
            cases.add(new Case("delete " + key, false, "DEL", key));
            cases.add(new Case("overwrite " + key, false, "SET", key, "x"));
            cases.add(new Case("rename own key onto " + key, false, "RENAME", own, key));
            cases.add(new Case("script writing " + key, false, "EVAL", "return redis.call('DEL', KEYS[1])", "1", key));
        }
        for (String key : foreignKeys) {
            cases.add(new Case("read " + key, false, "GET", key));
            cases.add(new Case("write " + key, false, "HSET", key, "roles", "admin"));
            cases.add(new Case("delete " + key, false, "DEL", key));
            cases.add(new Case("copy own key onto " + key, false, "COPY", own, key));
            cases.add(new Case("script declaring " + key, false, "EVAL", "return redis.call('GET', KEYS[1])", "1", key));
            // Scripts are checked for every key they touch, not only the declared ones.
            cases.add(new Case("script hiding " + key, false, "EVAL",
                    "return redis.call('HSET', '" + key + "', 'roles', 'admin')", "0"));
        }
        cases.add(new Case("list keys", false, "KEYS", "*"));
        cases.add(new Case("scan keyspace", false, "SCAN", "0"));
        cases.add(new Case("random key", false, "RANDOMKEY"));
        cases.add(new Case("flush all", false, "FLUSHALL"));
        cases.add(new Case("flush db", false, "FLUSHDB"));
        cases.add(new Case("change config", false, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
        cases.add(new Case("read config", false, "CONFIG", "GET", "requirepass"));
        cases.add(new Case("change users", false, "ACL", "SETUSER", "default", "off"));
        cases.add(new Case("list users", false, "ACL", "LIST"));
        cases.add(new Case("server info", false, "INFO"));
        cases.add(new Case("list clients", false, "CLIENT", "LIST"));
        // Broadcast tracking would push the name of every changed key under any prefix, another service's too.
        cases.add(new Case("track other services' key names", false, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX",
                "auth:"));
        cases.add(new Case("client-side caching", false, "CLIENT", "CACHING", "yes"));
        cases.add(new Case("flush scripts", false, "SCRIPT", "FLUSH"));
        cases.add(new Case("flush functions", false, "FUNCTION", "FLUSH"));
        cases.add(new Case("publish", false, "PUBLISH", ownPrefix + "channel", "x"));
        return cases;
    }

    /** Case name → what went wrong; empty when the user may do exactly what its cases say. */
    public static Map<String, String> mismatches(Connection connection, List<Case> cases) {
        Map<String, String> wrong = new TreeMap<>();
        for (Case c : cases) {
            String reply = connection.send(c.command());
            boolean refused = reply.startsWith("-");
            if (c.allowed() == refused) {
                wrong.put(c.name(), (c.allowed() ? "refused: " : "allowed: ") + reply);
            } else if (refused && !reply.contains("NOPERM") && !reply.contains("can't access")
                    && !reply.contains("no permissions")) {
                wrong.put(c.name(), "refused, but not by the ACL: " + reply);
            }
        }
        return wrong;
    }
}
