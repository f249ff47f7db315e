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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
 */
@Singleton
public class EventLoopRedis {

    private final ReactiveRedisDataSource fallback;
    private final Vertx vertx;
    private final boolean enabled;
    // Through Instance, which also keeps these beans from being removed as unused in a native build.
    private final Instance<TlsConfigurationRegistry> tls;
    private final Instance<ProxyConfigurationRegistry> proxies;
    private final Instance<ObservableRedisMetrics> metrics;
    private final Map<EventLoop, Client> clients = new ConcurrentHashMap<>();

    private record Client(Redis redis, ReactiveRedisDataSource dataSource) {
    }

    public EventLoopRedis(ReactiveRedisDataSource fallback, Vertx vertx,
                          @ConfigProperty(name = "authsuite.redis.event-loop-clients", defaultValue = "true")
                          boolean enabled, Instance<TlsConfigurationRegistry> tls,
                          Instance<ProxyConfigurationRegistry> proxies, Instance<ObservableRedisMetrics> metrics) {
        this.fallback = fallback;
        this.vertx = vertx;
        this.enabled = enabled;
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
        EventLoop loop = internal.nettyEventLoop();
        Client client = clients.get(loop);
        if (client == null) {
            client = clients.computeIfAbsent(loop, l -> create(internal.unwrap()));
        }
        return client.dataSource();
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
            Redis redis = VertxRedisClientFactory.create(RedisConfig.DEFAULT_CLIENT_NAME, vertx, config,
                    orNull(tls), orNull(proxies));
            ObservableRedisMetrics reporter = orNull(metrics);
            Redis observed = new ObservableRedis(redis, RedisConfig.DEFAULT_CLIENT_NAME,
                    reporter == null ? ObservableRedisMetrics.NOOP : reporter);
            io.vertx.mutiny.redis.client.Redis mutiny = io.vertx.mutiny.redis.client.Redis.newInstance(observed);
            return new Client(observed, new ReactiveRedisDataSourceImpl(io.vertx.mutiny.core.Vertx.newInstance(vertx),
                    mutiny, io.vertx.mutiny.redis.client.RedisAPI.api(mutiny)));
        } finally {
            loop.endDispatch(previous);
        }
    }

    private static <T> T orNull(Instance<T> instance) {
        return instance.isResolvable() ? instance.get() : null;
    }

    void stop(@Observes ShutdownEvent event) {
        clients.values().forEach(c -> c.redis().close());
        clients.clear();
    }
}
