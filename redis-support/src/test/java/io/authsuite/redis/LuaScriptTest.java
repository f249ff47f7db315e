package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LuaScript} against a real redis-server, counted by the server itself ({@code INFO commandstats} and
 * {@code errorstats}): what an operator's dashboard sees of a service's scripts.
 */
class LuaScriptTest {

    private static final String INCREMENT = "return redis.call('INCR', KEYS[1])";

    @RegisterExtension
    static final RealRedis real = new RealRedis();

    @BeforeEach
    void freshServerCounters() {
        real.server.command("SCRIPT", "FLUSH");
        real.server.command("CONFIG", "RESETSTAT");
    }

    @Test
    void runWhenProcessFreshThenSentWholeWithoutNoScriptError() {
        LuaScript script = new LuaScript(INCREMENT);
        String key = "lua-test:" + UUID.randomUUID();

        assertEquals(1, script.run(real.blocking, List.of(key), List.of()).toInteger());
        assertEquals(2, script.run(real.blocking, List.of(key), List.of()).toInteger());

        assertEquals(0, errors("NOSCRIPT"), "a fresh process must not draw a NOSCRIPT error");
        assertEquals(1, calls("eval"), "the first call sends the source");
        assertEquals(1, calls("evalsha"), "later calls send the SHA-1 only");
    }

    @Test
    void reactiveRunWhenProcessFreshThenSentWholeWithoutNoScriptError() {
        LuaScript script = new LuaScript(INCREMENT);
        String key = "lua-test:" + UUID.randomUUID();

        assertEquals(1, awaited(script.run(real.reactive, List.of(key), List.of())));
        assertEquals(2, awaited(script.run(real.reactive, List.of(key), List.of())));

        assertEquals(0, errors("NOSCRIPT"));
        assertEquals(1, calls("eval"));
        assertEquals(1, calls("evalsha"));
    }

    @Test
    void runWhenServerLostScriptsThenSentAgainAndResultKept() {
        LuaScript script = new LuaScript(INCREMENT);
        String key = "lua-test:" + UUID.randomUUID();
        assertEquals(1, script.run(real.blocking, List.of(key), List.of()).toInteger());
        // What a restart or a failover to a replica does to the script cache.
        real.server.command("SCRIPT", "FLUSH");

        assertEquals(2, script.run(real.blocking, List.of(key), List.of()).toInteger());
        assertEquals(3, awaited(script.run(real.reactive, List.of(key), List.of())));

        assertEquals(1, errors("NOSCRIPT"), "one NOSCRIPT after the loss, then the source is sent again");
        assertEquals(2, calls("eval"));
        assertEquals("3", real.server.command("GET", key), "each call ran exactly once");
    }

    private static long awaited(Uni<Response> reply) {
        return reply.await().atMost(Duration.ofSeconds(5)).toLong();
    }

    private static long calls(String command) {
        return real.stat("commandstats", "cmdstat_" + command + ":calls=(\\d+)");
    }

    private static long errors(String prefix) {
        return real.stat("errorstats", "errorstat_" + prefix + ":count=(\\d+)");
    }
}
