package io.authsuite.inventory.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.inventory.config.InventoryConfig;
import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.domain.Money;
import io.authsuite.inventory.domain.Reservation;
import io.authsuite.inventory.domain.ReservationLine;
import io.authsuite.inventory.domain.ReservationOutcome;
import io.authsuite.inventory.domain.ShortLine;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.EventLoopRedis;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Items and reservations in Redis.
 *
 * <p>Keys: {@code inventory:item:<sku>} (hash: name, priceMinor, currency, stock, reserved, status),
 * {@code inventory:skus} (sorted set, for listing in sku order), {@code inventory:reservation:<orderId>} (the
 * reservation as JSON) and {@code inventory:holds} (held reservations by expiry). A reservation moves the stock of
 * several items at once, so on Redis Cluster all of them share one hash slot ({@code inventory:{stock}:item:<sku>},
 * see {@link KeyLayout}): inventory's data is not spread over the cluster, it lives on the node of that slot. Every change of stock is one Lua
 * script, so {@code stock} never goes below zero and {@code reserved} always equals the sum of live reservations.
 *
 * <p>Reservations, their transitions and the read of one item return {@link Uni}: orders-service calls the first for
 * every order and clients read items far more often than they change them, so these run on the event loop without a
 * worker thread (issue 12's profile). Listing and the admin's writes stay blocking.
 */
@ApplicationScoped
public class InventoryStore {

    private final String itemKey;
    private final DurableWrites durable;
    private final String skusKey;
    private final String reservationKey;
    private final String holdsKey;
    private final String releasedKey;

    /**
     * Reserves every line or none. KEYS[1] reservation, KEYS[2] holds, KEYS[3..n-1] items, KEYS[n] the order's
     * release mark; ARGV[1] reservation JSON, ARGV[2] expiry, ARGV[3..] quantities. An existing reservation for the
     * order is returned unchanged; an order released before it reserved (see TRANSITION) reserves nothing.
     */
    private static final LuaScript RESERVE = new LuaScript("""
            local existing = redis.call('GET', KEYS[1])
            if existing then return {'EXISTS', existing} end
            if redis.call('EXISTS', KEYS[#KEYS]) == 1 then return {'RELEASED'} end
            local unknown, gone, short = {}, {}, {}
            for i = 3, #KEYS - 1 do
              local item = redis.call('HMGET', KEYS[i], 'stock', 'status')
              if not item[1] then
                unknown[#unknown + 1] = tostring(i - 2)
              elseif item[2] == 'discontinued' then
                gone[#gone + 1] = tostring(i - 2)
              elseif tonumber(item[1]) < tonumber(ARGV[i]) then
                short[#short + 1] = tostring(i - 2)
                short[#short + 1] = item[1]
              end
            end
            if #unknown > 0 then table.insert(unknown, 1, 'UNKNOWN') return unknown end
            if #gone > 0 then table.insert(gone, 1, 'DISCONTINUED') return gone end
            if #short > 0 then table.insert(short, 1, 'SHORT') return short end
            for i = 3, #KEYS - 1 do
              redis.call('HINCRBY', KEYS[i], 'stock', -tonumber(ARGV[i]))
              redis.call('HINCRBY', KEYS[i], 'reserved', tonumber(ARGV[i]))
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), string.sub(KEYS[1], string.len(ARGV[#ARGV]) + 1))
            return {'OK', ARGV[1]}
            """);

    /**
     * How long a committed, released or expired reservation is kept: a repeated call about it (orders-service retries)
     * gets the same answer meanwhile; later it is gone, which orders-service takes as nothing held any more.
     */
    private static final java.time.Duration SETTLED_RETENTION = java.time.Duration.ofDays(7);

    /**
     * Moves reservations on, one after another in one call. KEYS[1] holds, KEYS[2..n] the reservations. ARGV[1] action
     * (confirm, commit, release, expire), ARGV[2] now, ARGV[3] item key prefix, ARGV[4] how long a settled
     * reservation is kept (s), ARGV[5] the reservation key prefix, ARGV[6] the release mark's key prefix, ARGV[7] how
     * long a release mark is kept (s). A release of a reservation that does not exist leaves a mark (and is still
     * answered NONE): orders-service releases an order whose reservation call it gave up on, and a reserve of that
     * call still on its way must not then hold stock that nobody will confirm or release. Returns, per reservation, its outcome and its JSON (false when there is none): OK, SAME
     * (already in the target state: idempotent), CONFLICT (cannot move from its state; a held reservation of an item
     * discontinued since is released instead of confirmed, and answers CONFLICT too), NONE (no such reservation).
     * All keys share the "stock" hash slot, so a batch is one script on a cluster too.
     */
    private static final LuaScript TRANSITION = new LuaScript("""
            local action = ARGV[1]
            local target = ({confirm = 'reserved', commit = 'committed', release = 'released', expire = 'expired'})[action]
            local function move(key)
              local raw = redis.call('GET', key)
              if not raw then
                if action == 'release' then
                  redis.call('SET', ARGV[6] .. string.sub(key, string.len(ARGV[5]) + 1), '1', 'EX', tonumber(ARGV[7]))
                end
                return 'NONE', false
              end
              local r = cjson.decode(raw)
              if r.status == target or (action == 'confirm' and r.status == 'committed') then return 'SAME', raw end
              local live = r.status == 'held' or r.status == 'reserved'
              if not live then return 'CONFLICT', raw end
              if action == 'expire' and (r.status ~= 'held' or r.expiresAt > tonumber(ARGV[2])) then return 'CONFLICT', raw end
              if action == 'confirm' and r.status ~= 'held' then return 'SAME', raw end
              local act, tgt, outcome = action, target, 'OK'
              if act == 'confirm' then
                for _, line in ipairs(r.lines) do
                  if redis.call('HGET', ARGV[3] .. line.sku, 'status') == 'discontinued' then
                    -- Discontinued while held (the order was stored after orders-service swept the item's open
                    -- orders): not confirmed but released, and the order is cancelled as the sweep would have.
                    act, tgt, outcome = 'release', 'released', 'CONFLICT'
                    break
                  end
                end
              end
              for _, line in ipairs(r.lines) do
                local item = ARGV[3] .. line.sku
                if act == 'release' or act == 'expire' then
                  redis.call('HINCRBY', item, 'stock', line.quantity)
                  redis.call('HINCRBY', item, 'reserved', -line.quantity)
                elseif act == 'commit' then
                  redis.call('HINCRBY', item, 'reserved', -line.quantity)
                end
              end
              r.status = tgt
              r.expiresAt = 0
              local updated = cjson.encode(r)
              if tgt == 'reserved' then
                redis.call('SET', key, updated)
              else
                -- Settled: kept long enough to answer a repeated call the same way, then gone.
                redis.call('SET', key, updated, 'EX', tonumber(ARGV[4]))
              end
              redis.call('ZREM', KEYS[1], r.orderId)
              return outcome, updated
            end
            local out = {}
            for k = 2, #KEYS do
              local outcome, value = move(KEYS[k])
              out[#out + 1] = outcome
              out[#out + 1] = value
            end
            return out
            """);

    /** What a reservation transition did. */
    public enum Transition { DONE, ALREADY, CONFLICT, NOT_FOUND }

    /** A transition's result and the reservation as it now stands. */
    public record TransitionResult(Transition outcome, Optional<Reservation> reservation) {
    }

    private final RedisDataSource redis;
    private final EventLoopRedis reactive;
    private final HashCommands<String, String, String> hashes;
    private final SortedSetCommands<String, String> sortedSets;
    private final ObjectMapper json;
    private final InventoryConfig config;

    public InventoryStore(RedisDataSource redis, EventLoopRedis reactive, ObjectMapper json,
                          InventoryConfig config, KeyLayout layout, DurableWrites durable) {
        this.durable = durable;
        String stock = layout.group("inventory:", "stock");
        this.itemKey = stock + "item:";
        this.skusKey = stock + "skus";
        this.reservationKey = stock + "reservation:";
        this.holdsKey = stock + "holds";
        this.releasedKey = stock + "released-before-reserved:";
        this.redis = redis;
        this.reactive = reactive;
        this.hashes = redis.hash(String.class);
        this.sortedSets = redis.sortedSet(String.class);
        this.json = json;
        this.config = config;
    }

    public Optional<Item> find(String sku) {
        return item(sku, hashes.hgetall(itemKey + sku));
    }

    /**
     * {@link #find}, for a caller on the event loop: the read is pipelined with that loop's other commands, and no
     * worker thread waits for it. Bounded by {@code quarkus.redis.timeout}, as the blocking read is.
     */
    public Uni<Optional<Item>> lookup(String sku) {
        return onLoop(ds -> ds.hash(String.class).hgetall(itemKey + sku))
                .map(fields -> item(sku, fields));
    }

    /**
     * Commands on the event loop's shared connection, bounded by {@code quarkus.redis.timeout}: that connection has no
     * deadline of its own, and the requests that wait here have none either.
     */
    private <T> Uni<T> onLoop(Function<ReactiveRedisDataSource, Uni<T>> commands) {
        return reactive.bounded(reactive.pipelined(commands));
    }

    /** The item a hash holds; an empty hash is no item (Redis has no key for it). */
    private static Optional<Item> item(String sku, Map<String, String> fields) {
        return fields.isEmpty() ? Optional.empty() : Optional.of(toItem(sku, fields));
    }

    /** Items in sku order, from {@code offset}, at most {@code limit}. */
    public List<Item> list(int offset, int limit) {
        List<String> skus = sortedSets.zrange(skusKey, offset, (long) offset + limit - 1);
        List<Item> items = new ArrayList<>(skus.size());
        for (String sku : skus) {
            find(sku).ifPresent(items::add);
        }
        return items;
    }

    public long count() {
        return sortedSets.zcard(skusKey);
    }

    /**
     * Creates the item when it does not exist yet; an existing item keeps its stock. One script ({@link #UPSERT}):
     * two replicas seeding at once, or a stop half-way, never leave an item with stock but no status or reservations,
     * or missing from the index.
     */
    public boolean createIfAbsent(String sku, String name, long stock, Money price) {
        return UPSERT.run(redis, List.of(itemKey + sku, skusKey), List.of(name, Long.toString(price.amount()),
                price.currency(), Long.toString(stock), sku, Item.ACTIVE, "create-only")).toLong() == 0;
    }

    public boolean createIfAbsent(String sku, String name, long stock) {
        return createIfAbsent(sku, name, stock, new Money(0, "EUR"));
    }

    /**
     * KEYS: 1 the item, 2 the skus index. ARGV: 1 name, 2 price in minor units, 3 currency, 4 stock, 5 sku, 6 the
     * status of a new item, 7 (optional) "create-only" to leave an existing item as it is, 8 and 9 (optional) the
     * If-Match and If-None-Match conditions ({@link Condition#encode}). Returns 1 when the item existed, -1 when a
     * condition failed and nothing was written. The conditions are checked here, not before the call: an order
     * moving the stock between a check and the write would be overwritten by the stock the admin computed without it.
     * The entity tag is {@link #entityTag} computed again, from the same fields with the same defaults.
     */
    private static final LuaScript UPSERT = new LuaScript("""
            local existed = redis.call('EXISTS', KEYS[1])
            if existed == 1 and ARGV[7] == 'create-only' then return 1 end
            local function tag()
              local f = redis.call('HMGET', KEYS[1], 'priceMinor', 'currency', 'stock', 'reserved', 'status', 'name')
              return redis.sha1hex((f[1] or '0') .. '\\n' .. (f[2] or 'EUR') .. '\\n' .. (f[3] or '0') .. '\\n'
                .. (f[4] or '0') .. '\\n' .. (f[5] or 'active') .. '\\n' .. (f[6] or ARGV[5]))
            end
            local function listed(condition, current)
              if condition == '*' then return true end
              for t in string.gmatch(string.sub(condition, 2), '%S+') do
                if t == current then return true end
              end
              return false
            end
            local ifMatch, ifNoneMatch = ARGV[8] or '', ARGV[9] or ''
            if ifMatch ~= '' and (existed == 0 or not listed(ifMatch, tag())) then return -1 end
            if ifNoneMatch ~= '' and existed == 1 and listed(ifNoneMatch, tag()) then return -1 end
            redis.call('HSET', KEYS[1], 'name', ARGV[1], 'priceMinor', ARGV[2], 'currency', ARGV[3], 'stock', ARGV[4])
            if existed == 0 then redis.call('HSET', KEYS[1], 'reserved', '0', 'status', ARGV[6]) end
            redis.call('ZADD', KEYS[2], 0, ARGV[5])
            return existed
            """);

    /**
     * Creates or updates an item (admin): name, price and available stock; reservations are kept. Answered only once
     * a replica holds it ({@link DurableWrites}): stock an admin was told is set must not come back after a failover.
     */
    public Upsert upsert(String sku, String name, Money price, long stock, Condition ifMatch, Condition ifNoneMatch) {
        // A failed precondition wrote nothing: no replica to wait for, and a lagging one must not turn 412 into 503.
        Response existed = durable.write(redis, ds -> UPSERT.run(ds, List.of(itemKey + sku, skusKey), List.of(name,
                Long.toString(price.amount()), price.currency(), Long.toString(stock), sku, Item.ACTIVE, "",
                Condition.encode(ifMatch), Condition.encode(ifNoneMatch))), r -> r.toLong() >= 0);
        long outcome = existed.toLong();
        return outcome < 0 ? Upsert.PRECONDITION_FAILED : outcome == 0 ? Upsert.CREATED : Upsert.UPDATED;
    }

    public enum Upsert { CREATED, UPDATED, PRECONDITION_FAILED }

    /**
     * A precondition's entity tags (RFC 9110 §13.1.1, §13.1.2): {@code any} for {@code *}, else the opaque tags the
     * current one is compared with. {@code null} where the header was not sent.
     */
    public record Condition(boolean any, List<String> tags) {

        /** "" absent, "*" any, else "=" and the tags, space-separated (an entity tag has no spaces: §8.8.3). */
        static String encode(Condition condition) {
            if (condition == null) {
                return "";
            }
            return condition.any() ? "*" : "=" + String.join(" ", condition.tags());
        }
    }

    /**
     * The opaque part of an item's entity tag: a digest of its representation's fields, so that any change of stock,
     * holds, price, name or status changes it, whichever script made it. SHA-1 because it is the digest Redis' Lua
     * offers ({@link #UPSERT} computes the same); it only tells representations apart and protects nothing.
     */
    public static String entityTag(Item item) {
        String fields = item.price().amount() + "\n" + item.price().currency() + "\n" + item.stock() + "\n"
                + item.reserved() + "\n" + item.status() + "\n" + item.name();
        return HexFormat.of().formatHex(SHA1.get().digest(fields.getBytes(StandardCharsets.UTF_8)));
    }

    /** One digest per thread: every item read computes a tag, without a provider lookup each time. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Marks an item discontinued; false when there is no such item. */
    public boolean discontinue(String sku) {
        if (!redis.key().exists(itemKey + sku)) {
            return false;
        }
        // Waited for (DurableWrites), and written even when the item is already discontinued: HSET is replicated
        // whether or not it changes the value, so a repeated discontinue is answered only once a replica holds it.
        durable.run(redis, ds -> ds.hash(String.class).hset(itemKey + sku, "status", Item.DISCONTINUED));
        return true;
    }

    /** Reserves for {@code reservedBy}, acting through {@code via} (null: a service for itself). */
    public Uni<ReservationOutcome> reserve(String orderId, List<ReservationLine> lines, String reservedBy, String via) {
        long expiresAt = Instant.now().plus(config.reservationHold()).getEpochSecond();
        List<String> keys = new ArrayList<>(lines.size() + 2);
        List<String> args = new ArrayList<>(lines.size() + 3);
        keys.add(reservationKey + orderId);
        keys.add(holdsKey);
        args.add(write(new Reservation(orderId, lines, Reservation.HELD, expiresAt, reservedBy, via)));
        args.add(Long.toString(expiresAt));
        for (ReservationLine line : lines) {
            keys.add(itemKey + line.sku());
            args.add(Integer.toString(line.quantity()));
        }
        keys.add(releasedKey + orderId);
        args.add(reservationKey);
        return onLoop(ds -> RESERVE.run(ds, keys, args)).map(reply -> outcome(reply, lines));
    }

    private ReservationOutcome outcome(Response reply, List<ReservationLine> lines) {
        String status = reply.get(0).toString();
        return switch (status) {
            case "OK" -> new ReservationOutcome.Reserved(read(reply.get(1).toString()));
            case "EXISTS" -> new ReservationOutcome.AlreadyReserved(read(reply.get(1).toString()));
            case "RELEASED" -> new ReservationOutcome.ReleasedBefore();
            case "UNKNOWN" -> new ReservationOutcome.UnknownSkus(skus(reply, lines));
            case "DISCONTINUED" -> new ReservationOutcome.Discontinued(skus(reply, lines));
            case "SHORT" -> {
                List<ShortLine> shortLines = new ArrayList<>();
                for (int i = 1; i < reply.size(); i += 2) {
                    ReservationLine line = lines.get(reply.get(i).toInteger() - 1);
                    shortLines.add(new ShortLine(line.sku(), line.quantity(), reply.get(i + 1).toLong()));
                }
                yield new ReservationOutcome.Insufficient(shortLines);
            }
            default -> throw new IllegalStateException("unexpected reply from the reserve script: " + status);
        };
    }

    /** confirm (held → reserved), commit (→ committed), release (→ released, stock returns). Idempotent. */
    public Uni<TransitionResult> transition(String orderId, String action) {
        return transitions(List.of(orderId), action).map(results -> results.get(0));
    }

    /**
     * The same transition for many reservations in one script (one Redis call for a whole confirmation batch, where
     * one call each cost Redis about 30 µs of script overhead per order). Results in the order of {@code orderIds}; a
     * repeated id sees what its first occurrence did.
     */
    public Uni<List<TransitionResult>> transitions(List<String> orderIds, String action) {
        List<String> keys = new ArrayList<>(orderIds.size() + 1);
        keys.add(holdsKey);
        for (String orderId : orderIds) {
            keys.add(reservationKey + orderId);
        }
        // A late reserve can only come within the caller's retries of it: a release is remembered for two holds.
        List<String> args = List.of(action, Long.toString(Instant.now().getEpochSecond()), itemKey,
                Long.toString(SETTLED_RETENTION.toSeconds()), reservationKey, releasedKey,
                Long.toString(config.reservationHold().multipliedBy(2).toSeconds()));
        return onLoop(ds -> TRANSITION.run(ds, keys, args)).map(reply -> {
                    List<TransitionResult> results = new ArrayList<>(orderIds.size());
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        results.add(transitionResult(reply.get(i).toString(), reply.get(i + 1)));
                    }
                    return results;
                });
    }

    private TransitionResult transitionResult(String status, Response value) {
        Optional<Reservation> reservation = value == null ? Optional.empty() : Optional.of(read(value.toString()));
        return new TransitionResult(switch (status) {
            case "OK" -> Transition.DONE;
            case "SAME" -> Transition.ALREADY;
            case "CONFLICT" -> Transition.CONFLICT;
            default -> Transition.NOT_FOUND;
        }, reservation);
    }

    /** Releases the held reservations whose hold has lapsed; returns how many. */
    public int expireHolds() {
        long now = Instant.now().getEpochSecond();
        int expired = 0;
        for (String orderId : sortedSets.zrangebyscore(holdsKey, ScoreRange.from(Double.NEGATIVE_INFINITY, (double) now))) {
            if (transition(orderId, "expire").await().indefinitely().outcome() == Transition.DONE) {
                expired++;
            } else {
                sortedSets.zrem(holdsKey, orderId);
            }
        }
        return expired;
    }

    public Optional<Reservation> reservation(String orderId) {
        String value = redis.value(String.class).get(reservationKey + orderId);
        return Optional.ofNullable(value).map(this::read);
    }

    private static List<String> skus(Response reply, List<ReservationLine> lines) {
        List<String> skus = new ArrayList<>();
        for (int i = 1; i < reply.size(); i++) {
            skus.add(lines.get(reply.get(i).toInteger() - 1).sku());
        }
        return skus;
    }

    private static Item toItem(String sku, Map<String, String> fields) {
        return new Item(sku, fields.getOrDefault("name", sku),
                new Money(Long.parseLong(fields.getOrDefault("priceMinor", "0")), fields.getOrDefault("currency", "EUR")),
                Long.parseLong(fields.getOrDefault("stock", "0")),
                Long.parseLong(fields.getOrDefault("reserved", "0")),
                fields.getOrDefault("status", Item.ACTIVE));
    }

    private String write(Reservation reservation) {
        try {
            return json.writeValueAsString(reservation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reservation read(String value) {
        try {
            return json.readValue(value, Reservation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt reservation in Redis", e);
        }
    }

    /** Sums the quantities of repeated skus, keeping first-seen order, so each item is touched once. */
    public static List<ReservationLine> merge(List<ReservationLine> lines) {
        Map<String, Integer> merged = new LinkedHashMap<>();
        lines.forEach(l -> merged.merge(l.sku(), l.quantity(), Integer::sum));
        return merged.entrySet().stream().map(e -> new ReservationLine(e.getKey(), e.getValue())).toList();
    }
}
