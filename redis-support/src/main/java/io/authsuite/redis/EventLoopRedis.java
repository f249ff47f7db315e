package io.authsuite.redis;

import io.netty.channel.EventLoop;
import io.quarkus.proxy.ProxyConfigurationRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.client.ObservableRedis;
import io.quarkus.redis.runtime.client.ObservableRedisMetrics;
import io.quarkus.redis.runtime.client.VertxRedisClientFactory;
import io.quarkus.redis.runtime.client.config.RedisClientConfig;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reactive Redis for code that runs on a Vert.x event loop, through a client that lives on that same event loop.
 *
 * <p>A Vert.x Redis client binds every pooled connection to the one event loop it was created on, and Quarkus creates
 * its client once, at start: every command of every request is written and its reply parsed on that loop, and a
 * request another loop serves hops over and back. Under {@code make bench}'s refresh grants that loop was busy 92% of
 * the time while the other waited 44% of it (async-profiler, wall clock), and a fifth of the machine stayed idle.
 *
 * <p>This keeps one client per event loop, created on that loop the first time it asks. Each is made by Quarkus' own
 * factory from the default client's configuration, so the addresses, the client type (standalone, Sentinel,
 * Cluster), TLS, the pool settings and the {@link io.quarkus.redis.client.RedisOptionsCustomizer}s (the ACL user of
 * {@link RedisUser}) are the same, and it reports to the same command metrics. Off the event loop (workers, the
 * service's own threads) the default data source answers, and everywhere with
 * {@code authsuite.redis.event-loop-clients=false}.
 *
 * <p>{@link #pipelined} goes further for the hot single commands and scripts (a refresh rotation, an order's writes):
 * they share one connection per event loop, so that commands issued while others are in flight are pipelined. A pooled
 * connection carries one command at a time, and each costs Redis a read, a write and a wake-up: replayed from 16
 * connections one at a time, a rotation cost Redis 93 µs of CPU, and 55-57 µs sent 8 at a time on 2 connections.
 * {@code authsuite.redis.pipelined=false} sends them on pooled connections, one command per connection at a time.
 */
@Singleton
public class EventLoopRedis {

    private final ReactiveRedisDataSource fallback;
    private final Vertx vertx;
    private final boolean enabled;
    private final boolean shareConnections;
    // Through Instance, which also keeps these beans from being removed as unused in a native build.
    private final Instance<TlsConfigurationRegistry> tls;
    private final Instance<ProxyConfigurationRegistry> proxies;
    private final Instance<ObservableRedisMetrics> metrics;
    private final Map<EventLoop, Client> clients = new ConcurrentHashMap<>();
    private final Duration deadline;

    private record Client(Redis redis, ReactiveRedisDataSource dataSource, io.vertx.mutiny.core.Vertx vertx,
                          io.vertx.mutiny.redis.client.Redis mutiny, Shared shared, long watchdog) {
    }

    /** A loop's shared connection: touched only on that loop's thread, so no locking. */
    private static final class Shared {
        ReactiveRedisDataSource dataSource;
        RedisConnection connection;
        Uni<ReactiveRedisDataSource> connecting;
        /** When the watchdog's PING now outstanding was sent (System.nanoTime), 0 for none. */
        long pingSentAt;
    }

    private static final Logger LOG = Logger.getLogger(EventLoopRedis.class);
    /** How often each loop's shared connection is checked for a server that stopped answering. */
    private static final long WATCHDOG_MILLIS = 1000;

    public EventLoopRedis(ReactiveRedisDataSource fallback, Vertx vertx,
                          @ConfigProperty(name = "authsuite.redis.event-loop-clients", defaultValue = "true")
                          boolean enabled,
                          @ConfigProperty(name = "authsuite.redis.pipelined", defaultValue = "true")
                          boolean shareConnections, Instance<TlsConfigurationRegistry> tls,
                          Instance<ProxyConfigurationRegistry> proxies, Instance<ObservableRedisMetrics> metrics,
                          @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration deadline) {
        this.fallback = fallback;
        this.deadline = deadline;
        this.vertx = vertx;
        this.enabled = enabled;
        this.shareConnections = shareConnections;
        this.tls = tls;
        this.proxies = proxies;
        this.metrics = metrics;
    }

    /** The data source of the current event loop; the default one when not called on an event loop. */
    public ReactiveRedisDataSource current() {
        Context context = Vertx.currentContext();
        if (!enabled || !(context instanceof ContextInternal internal) || !internal.isEventLoopContext()) {
            return fallback;
        }
        return client(internal).dataSource();
    }

    private Client client(ContextInternal context) {
        EventLoop loop = context.nettyEventLoop();
        Client client = clients.get(loop);
        if (client == null) {
            client = clients.computeIfAbsent(loop, l -> create(context.unwrap()));
        }
        return client;
    }

    /**
     * Runs {@code commands} on the current event loop's shared connection, pipelined with the other requests' commands
     * of that loop (off the event loop, or with event-loop clients off: on the default data source). Only for single
     * commands and scripts: a transaction, a blocking read or a {@code WAIT} would hold up, or mix with, every other
     * request's commands on the connection. A connection that closes or fails is dropped, and the next call opens
     * another; the commands in flight on it fail as they would on a pooled one.
     */
    public <T> Uni<T> pipelined(Function<ReactiveRedisDataSource, Uni<T>> commands) {
        // Not bounded here: auth-service's token endpoint bounds its whole request already, and a second timer per
        // rotation would only add work to its hot path. Callers without such a deadline wrap the call in bounded().
        return unbounded(commands);
    }

    /**
     * {@code call}, failed with a {@link io.smallrye.mutiny.TimeoutException} ({@link RedisFailures#isUnavailable}: a
     * 503 with Retry-After) when Redis has not answered within {@code quarkus.redis.timeout}. The reactive client has no
     * deadline of its own: a Redis that stops answering without closing its connections (stalled, or a congested link)
     * would otherwise hold the request, and the event loop's share of the pool, for ever. The blocking data source
     * already waits at most that long. Also for {@link #pipelined} calls, which are not bounded themselves.
     */
    public <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(deadline).fail();
    }

    private <T> Uni<T> unbounded(Function<ReactiveRedisDataSource, Uni<T>> commands) {
        Context context = Vertx.currentContext();
        if (!enabled || !(context instanceof ContextInternal internal) || !internal.isEventLoopContext()) {
            return commands.apply(fallback);
        }
        Client client = client(internal);
        if (!shareConnections) {
            return commands.apply(client.dataSource());
        }
        Shared shared = client.shared();
        if (shared.dataSource != null) {
            return commands.apply(shared.dataSource);
        }
        if (shared.connecting == null) {
            shared.connecting = connect(client)
                    .map(connection -> share(client, connection))
                    .onTermination().invoke(() -> shared.connecting = null)
                    .memoize().indefinitely();
        }
        return shared.connecting.chain(ds -> commands.apply(ds));
    }

    /**
     * A new connection of the loop's client, given up after {@code quarkus.redis.timeout}: a server that accepts the
     * connection but never answers its handshake (frozen) would otherwise hold every command of the loop, which all
     * wait for this one connection. The timer runs on the loop, as the rest of the shared connection's state does.
     */
    private Uni<RedisConnection> connect(Client client) {
        return Uni.createFrom().emitter(emitter -> {
            boolean[] settled = {false};
            long timer = vertx.setTimer(deadline.toMillis(), id -> {
                if (!settled[0]) {
                    settled[0] = true;
                    emitter.fail(new io.smallrye.mutiny.TimeoutException());
                }
            });
            client.redis().connect().onComplete(connected -> {
                vertx.cancelTimer(timer);
                if (settled[0]) {
                    if (connected.succeeded()) {
                        connected.result().close();
                    }
                    return;
                }
                settled[0] = true;
                if (connected.succeeded()) {
                    emitter.complete(connected.result());
                } else {
                    emitter.fail(connected.cause());
                }
            });
        });
    }

    private ReactiveRedisDataSource share(Client client, RedisConnection connection) {
        ReactiveRedisDataSource bound = new ReactiveRedisDataSourceImpl(client.vertx(), client.mutiny(),
                io.vertx.mutiny.redis.client.RedisConnection.newInstance(connection));
        Shared shared = client.shared();
        connection.exceptionHandler(failure -> drop(shared, connection));
        connection.endHandler(end -> drop(shared, connection));
        shared.dataSource = bound;
        shared.connection = connection;
        shared.pingSentAt = 0;
        return bound;
    }

    /** Forgets a connection that failed or ended (its socket is closed already), and ends its lease. */
    private static void drop(Shared shared, RedisConnection connection) {
        forget(shared, connection);
        connection.close();
    }

    private static void forget(Shared shared, RedisConnection connection) {
        if (shared.connection == connection) {
            shared.dataSource = null;
            shared.connection = null;
            shared.pingSentAt = 0;
        }
    }

    /**
     * Closes the socket of a connection whose server stopped answering. Not {@code close()} alone: that hands a pooled
     * connection back to its pool, socket and all, and the next connect would lease the dead socket again; and the
     * connection is Quarkus' metrics wrapper, which does not expose the pooled one. A {@code SELECT} marks the pooled
     * connection as changed (Vert.x "taints" a connection that sent SELECT, AUTH or a pub/sub command), and the pool
     * closes the socket of a tainted connection instead of taking it back, evicting it and failing what still waits on
     * it. Selecting database 0, the one in use, would change nothing even if the server ever read it. A Redis Cluster
     * connection refuses SELECT and keeps its nodes' connections: there they go back to their pools.
     */
    private static void forceClose(RedisConnection connection) {
        connection.send(Request.cmd(Command.SELECT).arg(0));
        connection.close();
    }

    /**
     * Drops the loop's shared connection when a PING on it has gone unanswered for {@code quarkus.redis.timeout}. A
     * server that stops without closing its connections (a frozen or partitioned primary, a node that vanished) leaves
     * the connection open for as long as TCP keeps trying, a quarter of an hour, and every command of the loop would
     * wait on it, while the Sentinels have long promoted a replica that the next connection would reach. Only after
     * the full deadline: by then the callers of the commands sent before the PING have been answered 503 already; the
     * ones sent since fail with the closed connection (503 too), rather than wait on a server that does not answer.
     */
    private void watch(Shared shared) {
        RedisConnection connection = shared.connection;
        if (connection == null) {
            return;
        }
        long now = System.nanoTime();
        if (shared.pingSentAt != 0) {
            if (now - shared.pingSentAt >= deadline.toNanos()) {
                LOG.warnf("Redis: no answer on the shared connection of %s for %d ms; opening another",
                        Thread.currentThread().getName(), deadline.toMillis());
                forget(shared, connection);
                forceClose(connection);
            }
            return;
        }
        shared.pingSentAt = now;
        connection.send(Request.cmd(Command.PING)).onComplete(answered -> {
            if (shared.connection == connection) {
                shared.pingSentAt = 0;
            }
        });
    }

    /**
     * A client created with {@code loop} as the current context, which is where Vert.x puts its connections. The root
     * context, not the request's duplicate: the client keeps it for as long as it lives.
     */
    private Client create(ContextInternal loop) {
        ContextInternal previous = loop.beginDispatch();
        try {
            RedisClientConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                    .getConfigMapping(RedisConfig.class).clients().get(RedisConfig.DEFAULT_CLIENT_NAME);
            // A pool name of its own (the name Quarkus gives a client's pool): Micrometer keeps the first gauge of a
            // name, so pools sharing the default client's name would all report that client's pool, not their own.
            Redis redis = VertxRedisClientFactory.create(poolName(Thread.currentThread().getName()), vertx, config,
                    orNull(tls), orNull(proxies));
            ObservableRedisMetrics reporter = orNull(metrics);
            Redis observed = new ObservableRedis(redis, RedisConfig.DEFAULT_CLIENT_NAME,
                    reporter == null ? ObservableRedisMetrics.NOOP : reporter);
            io.vertx.mutiny.redis.client.Redis mutiny = io.vertx.mutiny.redis.client.Redis.newInstance(observed);
            io.vertx.mutiny.core.Vertx mutinyVertx = io.vertx.mutiny.core.Vertx.newInstance(vertx);
            Shared shared = new Shared();
            // Set while this loop is the current context: the timer fires on the loop that owns the connection.
            long watchdog = shareConnections ? vertx.setPeriodic(WATCHDOG_MILLIS, id -> watch(shared)) : -1;
            return new Client(observed, new ReactiveRedisDataSourceImpl(mutinyVertx, mutiny,
                    io.vertx.mutiny.redis.client.RedisAPI.api(mutiny)), mutinyVertx, mutiny, shared, watchdog);
        } finally {
            loop.endDispatch(previous);
        }
    }

    /** The pool name of the client of the event loop that runs on {@code thread}, as its metrics show it. */
    public static String poolName(String thread) {
        return RedisConfig.DEFAULT_CLIENT_NAME + "@" + thread;
    }

    private static <T> T orNull(Instance<T> instance) {
        return instance.isResolvable() ? instance.get() : null;
    }

    void stop(@Observes ShutdownEvent event) {
        // A shared connection is one the client's pool lent out for good: closing the client closes it too.
        clients.values().forEach(c -> {
            if (c.watchdog() >= 0) {
                vertx.cancelTimer(c.watchdog());
            }
            c.redis().close();
        });
        clients.clear();
    }
}
