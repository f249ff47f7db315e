package io.authsuite.orders.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.orders.domain.Order;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.EventLoopRedis;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Orders in Redis: {@code orders:order:{id}} holds the order as JSON, {@code orders:owner:{owner}} the ids of an
 * owner's orders by creation time. A new order and its indexes are written by one script, {@linkplain DurableWrites
 * durably}: an order answered 201 must still exist after a Redis failover.
 *
 * <p>The calls of {@code POST /orders} return {@link Uni}: that request runs on the event loop from start to end,
 * without handing over to a worker thread and back for every Redis round trip (issue 12's profile: those hand-overs
 * were most of the CPU of an order).
 */
@ApplicationScoped
public class OrderStore {

    private final String orderKey;
    private final String byOwnerKey;
    private final String unconfirmedKey;
    private final String allKey;
    private final String bySkuKey;
    private final String idempotencyPrefix;
    private final String idempotencyQualifiedPrefix;
    private static final java.time.Duration IDEMPOTENCY_TTL = java.time.Duration.ofHours(24);
    /**
     * Marks the claim of a key whose order was stored: a replay that then finds no order knows it was deleted since,
     * rather than still in progress. Claims stored before this mark existed are bare ids, read as in progress.
     */
    public static final String SETTLED_CLAIM = "=";
    /**
     * Marks the claim of a key whose order a replay has answered for ({@link #vouch}): the take-back of the first
     * request, whose own save was not confirmed, then leaves the order standing.
     */
    public static final String VOUCHED_CLAIM = "+";

    /**
     * KEYS: 1 the claim, 2 the order. ARGV[1] the order's id. While the claim is settled on the order and the order
     * exists, marks the claim vouched (its expiry kept) and returns {'ok', the order's JSON}; {'gone'} when the order
     * was deleted since; {'free'} when the claim is no longer the order's (its request took it back). It always
     * writes, so that a WAIT after it covers the order's own save (which precedes it in the replication stream).
     */
    private static final LuaScript VOUCH = new LuaScript("""
            local claim = redis.call('GET', KEYS[1])
            if claim ~= '=' .. ARGV[1] and claim ~= '+' .. ARGV[1] then return {'free'} end
            local order = redis.call('GET', KEYS[2])
            if not order then return {'gone'} end
            redis.call('SET', KEYS[1], '+' .. ARGV[1], 'KEEPTTL')
            return {'ok', order}
            """);

    /**
     * KEYS: 1 the order, 2 its owner's index, 3 all orders, 4 the unconfirmed set, then the request's Idempotency-Key
     * claim when ARGV[4] is '1', then its skus' sets of open orders. ARGV: 1 the order's JSON, 2 creation ms, 3 id, 4 claim flag,
     * 5 the claim's final ttl (s). Returns 0, storing nothing, when the claim now belongs to another request (its lease
     * ran out and a retry took it over); otherwise stores the order as not yet confirmed and keeps the claim for good,
     * as {@code =<id>} ({@link #SETTLED_CLAIM}): a claim of a request in flight is the bare id.
     */
    private static final LuaScript SAVE = new LuaScript("""
            local first = 5
            if ARGV[4] == '1' then
              local holder = redis.call('GET', KEYS[5])
              if holder and holder ~= ARGV[3] then return 0 end
              redis.call('SET', KEYS[5], '=' .. ARGV[3], 'EX', tonumber(ARGV[5]))
              first = 6
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
            redis.call('SADD', KEYS[4], ARGV[3])
            for i = first, #KEYS do redis.call('SADD', KEYS[i], ARGV[3]) end
            return 1
            """);

    private final String sweepPrefix;
    private final RedisDataSource redis;
    private final EventLoopRedis reactive;
    private final ObjectMapper json;
    private final DurableWrites durable;

    public OrderStore(RedisDataSource redis, EventLoopRedis reactive, ObjectMapper json, DurableWrites durable,
                      KeyLayout layout) {
        // An order is stored with its indexes in one script, so on Redis Cluster they all share one hash slot.
        String orders = layout.group("orders:", "orders");
        this.orderKey = orders + "order:";
        this.byOwnerKey = orders + "owner:";
        this.unconfirmedKey = orders + "unconfirmed";
        this.allKey = orders + "all";
        this.bySkuKey = orders + "sku:";
        this.idempotencyPrefix = orders + "idempotency:";
        this.idempotencyQualifiedPrefix = idempotencyPrefix + ":";
        this.sweepPrefix = orders + "sweeping:";
        this.redis = redis;
        this.reactive = reactive;
        this.json = json;
        this.durable = durable;
    }

    /**
     * Stores a new order, marked unconfirmed until {@link #confirmed} (so that if this process dies before confirming
     * its reservation, any replica's {@code ReservationConfirmations} finishes the job). With an Idempotency-Key
     * ({@code idempotencyKey} non-null), only while this request still holds its claim; returns false, storing
     * nothing, when it does not.
     */
    public Uni<Boolean> save(Order order, String idempotencyKey) {
        List<String> keys = new java.util.ArrayList<>(List.of(orderKey + order.id(), byOwnerKey + order.owner(), allKey,
                unconfirmedKey));
        if (idempotencyKey != null) {
            keys.add(idempotencyRedisKey(order.owner(), idempotencyKey));
        }
        order.lines().stream().map(l -> bySkuKey + l.sku()).distinct().forEach(keys::add);
        List<String> args = List.of(write(order), Long.toString(order.createdAt().toEpochMilli()), order.id(),
                idempotencyKey != null ? "1" : "0", Long.toString(IDEMPOTENCY_TTL.toSeconds()));
        return reactive.bounded(durable.write(reactive, ds -> SAVE.run(ds, keys, args))).map(reply -> reply.toLong() == 1);
    }

    /**
     * The open ({@code placed}) orders that hold a line of {@code sku}. The index keeps only open orders (a transition
     * out of {@code placed} leaves it), so a sweep reads what it may cancel, not every order ever placed; entries left
     * by orders that closed before the index was kept so are dropped here as they are met (an order never reopens).
     */
    public java.util.List<Order> openWithSku(String sku) {
        java.util.List<Order> open = new java.util.ArrayList<>();
        for (String id : redis.set(String.class).smembers(bySkuKey + sku)) {
            Optional<Order> order = find(id);
            if (order.isPresent() && order.get().status().equals(Order.PLACED)) {
                open.add(order.get());
            } else {
                redis.set(String.class).srem(bySkuKey + sku, id);
            }
        }
        return open;
    }

    /** Newest first: an owner's orders, or everyone's when {@code owner} is null. */
    public java.util.List<Order> list(String owner, int offset, int limit) {
        String key = owner == null ? allKey : byOwnerKey + owner;
        return redis.sortedSet(String.class).zrange(key, offset, (long) offset + limit - 1,
                        new io.quarkus.redis.datasource.sortedset.ZRangeArgs().rev())
                .stream().map(this::find).flatMap(Optional::stream).toList();
    }

    public long count(String owner) {
        return redis.sortedSet(String.class).zcard(owner == null ? allKey : byOwnerKey + owner);
    }

    public void delete(Order order) {
        deleteAsync(order).await().indefinitely();
    }

    /**
     * KEYS: 1 the order, 2 its owner's index, 3 all orders, then its Idempotency-Key claim when ARGV[2] (the claim
     * {@link #save} settled) is given, then the unconfirmed set and its skus' sets. ARGV[1] the id.
     */
    private static final LuaScript DELETE = new LuaScript("""
            local first = 4
            if ARGV[2] then
              local claim = redis.call('GET', KEYS[4])
              -- A replay answered 201 for the order (VOUCH): it stands, whatever its first request heard.
              if claim == '+' .. ARGV[1] then return 1 end
              if claim == ARGV[2] then redis.call('DEL', KEYS[4]) end
              first = 5
            end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[1])
            for i = first, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
            return 0
            """);

    /**
     * Removes an order and its indexes, durably: a deletion an admin was told of must not be undone by a failover, nor
     * an order that {@code POST /orders} took back after a failed save come back. Its Idempotency-Key stays spent.
     */
    public Uni<Void> deleteAsync(Order order) {
        return remove(order, null).replaceWithVoid();
    }

    /**
     * Takes back an order whose save ran but was not confirmed to its request (a timeout, or too few replicas
     * acknowledged it), with the Idempotency-Key it was saved under, if any: the request fails, and the retry its 503
     * invites must be able to place the order, not find the key spent.
     */
    public Uni<Boolean> takeBack(Order order, String idempotencyKey) {
        return remove(order, idempotencyKey);
    }

    /** True when nothing was removed because a replay has answered for the order ({@link #vouch}). */
    private Uni<Boolean> remove(Order order, String idempotencyKey) {
        List<String> keys = new java.util.ArrayList<>(List.of(orderKey + order.id(), byOwnerKey + order.owner(),
                allKey));
        List<String> args = new java.util.ArrayList<>(List.of(order.id()));
        if (idempotencyKey != null) {
            keys.add(idempotencyRedisKey(order.owner(), idempotencyKey));
            args.add(SETTLED_CLAIM + order.id());
        }
        keys.add(unconfirmedKey);
        order.lines().stream().map(l -> bySkuKey + l.sku()).distinct().forEach(keys::add);
        return reactive.bounded(durable.write(reactive, ds -> DELETE.run(ds, keys, args)))
                .map(reply -> reply.toLong() == 1);
    }

    /** What a replay found of the order its Idempotency-Key was settled on. */
    public enum Replay { STANDS, GONE, KEY_FREE }

    /** {@link #vouch}'s finding, with the order when it {@link Replay#STANDS}. */
    public record Vouched(Replay finding, Order order) {
    }

    /**
     * For a replay of a key settled on {@code orderId}: the order, once it is as durable as a first answer's would be
     * (the claim is rewritten and waited for, as the save was), and marked so that its first request can no longer
     * take it back. A replay that answered 201 for an order that then vanished would break "nothing lost".
     */
    public Uni<Vouched> vouch(String owner, String idempotencyKey, String orderId) {
        List<String> keys = List.of(idempotencyRedisKey(owner, idempotencyKey), orderKey + orderId);
        return reactive.bounded(durable.write(reactive, ds -> VOUCH.run(ds, keys, List.of(orderId)))).map(reply ->
                switch (reply.get(0).toString()) {
                    case "ok" -> new Vouched(Replay.STANDS, read(reply.get(1).toString()));
                    case "gone" -> new Vouched(Replay.GONE, null);
                    default -> new Vouched(Replay.KEY_FREE, null);
                });
    }

    /**
     * Claims an idempotency key of an owner for a new order id, for {@code lease}: long enough for the request to
     * finish, short enough that a retry can take over from a process that died holding it. {@link #save} keeps the
     * claim for 24 hours. Returns the claim that owns the key: the given id when the claim succeeded, the earlier claim
     * otherwise (an id, prefixed with {@link #SETTLED_CLAIM} when its order was stored).
     */
    public Uni<String> claimIdempotencyKey(String owner, String key, String orderId, java.time.Duration lease) {
        return reactive.bounded(reactive.current().value(String.class).setGet(idempotencyRedisKey(owner, key), orderId,
                        new io.quarkus.redis.datasource.value.SetArgs().nx().px(lease)))
                .map(previous -> previous == null ? orderId : previous);
    }

    /**
     * The claim's key. {@code owner:key} alone is ambiguous once an owner holds a ':' (owner {@code a:b} with key
     * {@code c} against owner {@code a} with key {@code b:c}), and a key is a client's choice, so one owner could
     * take or replay another's. An owner without ':' keeps the layout earlier releases wrote, so claims made before
     * an upgrade still hold during a rolling update; any other owner is written length-first after "::", which no
     * key of the first form can begin with (its owner is not empty).
     */
    String idempotencyRedisKey(String owner, String key) {
        return !owner.isEmpty() && owner.indexOf(':') < 0 ? idempotencyPrefix + owner + ":" + key
                : idempotencyQualifiedPrefix + owner.length() + ":" + owner + ":" + key;
    }

    /** Frees a key whose request failed, so that a retry with it can succeed. */
    public Uni<Void> releaseIdempotencyKey(String owner, String key, String orderId) {
        return reactive.bounded(RELEASE_CLAIM.run(reactive.current(), List.of(idempotencyRedisKey(owner, key)),
                List.of(orderId))).replaceWithVoid();
    }

    /**
     * Claims the cancellation sweep of a discontinued sku for {@code lease}; the claim's token, or empty while another
     * sweep of it holds the claim. A sweep of many orders can outlast its caller's timeout, and the caller's retries
     * must not start the same sweep again beside it.
     */
    public java.util.Optional<String> claimSweep(String sku, java.time.Duration lease) {
        String token = java.util.UUID.randomUUID().toString();
        String previous = redis.value(String.class).setGet(sweepPrefix + sku, token,
                new io.quarkus.redis.datasource.value.SetArgs().nx().px(lease));
        return previous == null ? java.util.Optional.of(token) : java.util.Optional.empty();
    }

    /** Ends a sweep's claim, if it still holds it. */
    public void releaseSweep(String sku, String token) {
        RELEASE_CLAIM.run(redis, List.of(sweepPrefix + sku), List.of(token));
    }

    /** KEYS[1] a claim (an Idempotency-Key's, a sweep's), ARGV[1] its holder: deleted only while that holder holds it. */
    private static final LuaScript RELEASE_CLAIM = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 0
            """);

    public long unconfirmedCount() {
        return redis.set(String.class).scard(unconfirmedKey);
    }

    public java.util.Set<String> unconfirmed() {
        return redis.set(String.class).smembers(unconfirmedKey);
    }

    public void confirmed(String id) {
        confirmedAsync(id).await().indefinitely();
    }

    public Uni<Void> confirmedAsync(String id) {
        return reactive.bounded(reactive.current().set(String.class).srem(unconfirmedKey, id)).replaceWithVoid();
    }

    /** {@link #confirmed} for many orders, one command. */
    public Uni<Void> confirmedAsync(List<String> ids) {
        return ids.isEmpty() ? Uni.createFrom().voidItem()
                : reactive.bounded(reactive.current().set(String.class).srem(unconfirmedKey, ids.toArray(String[]::new)))
                        .replaceWithVoid();
    }

    /**
     * KEYS[1] the order, then the skus' sets of open orders it leaves (none while it stays open); ARGV[1] the status
     * it must have, ARGV[2] the order as it will be, ARGV[3] its id. Returns {1} when moved, {0, stored JSON} when the
     * order is gone or no longer in that status.
     */
    private static final LuaScript TRANSITION = new LuaScript("""
            local raw = redis.call('GET', KEYS[1])
            if not raw then return {0} end
            if cjson.decode(raw).status ~= ARGV[1] then return {0, raw} end
            redis.call('SET', KEYS[1], ARGV[2])
            for i = 2, #KEYS do redis.call('SREM', KEYS[i], ARGV[3]) end
            return {1}
            """);

    /**
     * Moves an order to {@code next}'s status only if it still has status {@code from} (compare-and-set), so two
     * racing transitions (cancel and fulfil) cannot both be stored.
     */
    public Transition transition(String from, Order next) {
        // Durable: a cancel or fulfil answered 200 stays true after a failover, and so does the stock's move at
        // inventory-service before it (earlier in the same replication stream).
        List<String> keys = new java.util.ArrayList<>(List.of(orderKey + next.id()));
        if (!Order.PLACED.equals(next.status())) {
            next.lines().stream().map(l -> bySkuKey + l.sku()).distinct().forEach(keys::add);
        }
        io.vertx.mutiny.redis.client.Response r = durable.write(redis, ds -> TRANSITION.run(ds, keys,
                List.of(from, write(next), next.id())));
        if (r.get(0).toLong() == 1) {
            return new Transition(true, Optional.of(next));
        }
        return new Transition(false, r.size() > 1 ? Optional.of(read(r.get(1).toString())) : Optional.empty());
    }

    /** Whether a transition was stored, and the order as it now stands (empty when it no longer exists). */
    public record Transition(boolean moved, Optional<Order> current) {
    }

    public Optional<Order> find(String id) {
        return findAsync(id).await().indefinitely();
    }

    public Uni<Optional<Order>> findAsync(String id) {
        return reactive.bounded(reactive.current().value(String.class).get(orderKey + id))
                .map(value -> Optional.ofNullable(value).map(this::read));
    }

    private String write(Order order) {
        try {
            return json.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Order read(String value) {
        try {
            return json.readValue(value, Order.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt order in Redis", e);
        }
    }
}
