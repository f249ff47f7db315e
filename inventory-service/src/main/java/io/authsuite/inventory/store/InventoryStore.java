package io.authsuite.inventory.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.domain.Reservation;
import io.authsuite.inventory.domain.ReservationLine;
import io.authsuite.inventory.domain.ReservationOutcome;
import io.authsuite.inventory.domain.ShortLine;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Items and reservations in Redis.
 *
 * <p>Keys: {@code inventory:item:{sku}} (hash: name, stock, reserved), {@code inventory:skus} (sorted set, for
 * listing in sku order), {@code inventory:reservation:{orderId}} (the reservation as JSON).
 */
@ApplicationScoped
public class InventoryStore {

    private static final String ITEM = "inventory:item:";
    private static final String SKUS = "inventory:skus";
    private static final String RESERVATION = "inventory:reservation:";

    /**
     * Reserves every line or none, atomically. KEYS[1] is the reservation, KEYS[2..] the items; ARGV[1] the
     * reservation JSON, ARGV[2..] the quantities. An existing reservation for the order is returned unchanged.
     */
    private static final LuaScript RESERVE = new LuaScript("""
            local existing = redis.call('GET', KEYS[1])
            if existing then return {'EXISTS', existing} end
            local unknown, short = {}, {}
            for i = 2, #KEYS do
              local stock = redis.call('HGET', KEYS[i], 'stock')
              if not stock then
                unknown[#unknown + 1] = tostring(i - 1)
              elseif tonumber(stock) < tonumber(ARGV[i]) then
                short[#short + 1] = tostring(i - 1)
                short[#short + 1] = stock
              end
            end
            if #unknown > 0 then table.insert(unknown, 1, 'UNKNOWN') return unknown end
            if #short > 0 then table.insert(short, 1, 'SHORT') return short end
            for i = 2, #KEYS do
              redis.call('HINCRBY', KEYS[i], 'stock', -tonumber(ARGV[i]))
              redis.call('HINCRBY', KEYS[i], 'reserved', tonumber(ARGV[i]))
            end
            redis.call('SET', KEYS[1], ARGV[1])
            return {'OK', ARGV[1]}
            """);

    private final RedisDataSource redis;
    private final HashCommands<String, String, String> hashes;
    private final SortedSetCommands<String, String> sortedSets;
    private final ObjectMapper json;

    public InventoryStore(RedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.sortedSets = redis.sortedSet(String.class);
        this.json = json;
    }

    public Optional<Item> find(String sku) {
        Map<String, String> fields = hashes.hgetall(ITEM + sku);
        return fields.isEmpty() ? Optional.empty() : Optional.of(toItem(sku, fields));
    }

    /** Items in sku order, from {@code offset}, at most {@code limit}. */
    public List<Item> list(int offset, int limit) {
        List<String> skus = sortedSets.zrange(SKUS, offset, (long) offset + limit - 1);
        List<Item> items = new ArrayList<>(skus.size());
        for (String sku : skus) {
            find(sku).ifPresent(items::add);
        }
        return items;
    }

    public long count() {
        return sortedSets.zcard(SKUS);
    }

    /** Creates the item when it does not exist yet; an existing item keeps its stock. */
    public boolean createIfAbsent(String sku, String name, long stock) {
        boolean created = hashes.hsetnx(ITEM + sku, "stock", Long.toString(stock));
        if (created) {
            hashes.hset(ITEM + sku, Map.of("name", name, "reserved", "0"));
            sortedSets.zadd(SKUS, 0, sku);
        }
        return created;
    }

    public ReservationOutcome reserve(String orderId, List<ReservationLine> lines) {
        List<String> keys = new ArrayList<>(lines.size() + 1);
        List<String> args = new ArrayList<>(lines.size() + 1);
        keys.add(RESERVATION + orderId);
        args.add(write(new Reservation(orderId, lines, Reservation.RESERVED)));
        for (ReservationLine line : lines) {
            keys.add(ITEM + line.sku());
            args.add(Integer.toString(line.quantity()));
        }
        Response reply = RESERVE.run(redis, keys, args);
        String status = reply.get(0).toString();
        return switch (status) {
            case "OK" -> new ReservationOutcome.Reserved(read(reply.get(1).toString()));
            case "EXISTS" -> new ReservationOutcome.AlreadyReserved(read(reply.get(1).toString()));
            case "UNKNOWN" -> {
                List<String> skus = new ArrayList<>();
                for (int i = 1; i < reply.size(); i++) {
                    skus.add(lines.get(reply.get(i).toInteger() - 1).sku());
                }
                yield new ReservationOutcome.UnknownSkus(skus);
            }
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

    public Optional<Reservation> reservation(String orderId) {
        String value = redis.value(String.class).get(RESERVATION + orderId);
        return Optional.ofNullable(value).map(this::read);
    }

    private static Item toItem(String sku, Map<String, String> fields) {
        return new Item(sku, fields.getOrDefault("name", sku),
                Long.parseLong(fields.getOrDefault("stock", "0")),
                Long.parseLong(fields.getOrDefault("reserved", "0")));
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
