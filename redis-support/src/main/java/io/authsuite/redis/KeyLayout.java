package io.authsuite.redis;

import jakarta.inject.Singleton;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where keys that a script or transaction touches together live.
 *
 * <p>Redis Cluster refuses a command, transaction or Lua script whose keys fall into more than one hash slot
 * (CROSSSLOT). A key's slot is the CRC16 of its hash tag, the text between its first {@code {} and {@code }}, when it
 * has one: keys with the same tag share a slot. On Redis Cluster ({@code quarkus.redis.client-type=cluster}) each
 * group of keys that changes together therefore carries one tag: {@code auth:{<family>}:rt:<hash>} and
 * {@code auth:{<family>}:rtf:<family>} for a refresh-token family, {@code inventory:{stock}:item:<sku>} for all of
 * inventory's stock. On one server or behind Sentinels, where every key shares one node, the key names stay as they
 * have always been ({@code auth:rt:<hash>}, {@code inventory:item:<sku>}), so that existing data needs no migration.
 * Moving a deployment's data from one server to a cluster therefore means renaming its keys into groups.
 */
@Singleton
public class KeyLayout {

    private final boolean cluster;

    KeyLayout(@ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.cluster = clientType.toLowerCase(Locale.ROOT).equals("cluster");
    }

    /** A layout for tests and tools: hash tags on Redis Cluster only. */
    public static KeyLayout of(boolean cluster) {
        return new KeyLayout(cluster ? "cluster" : "standalone");
    }

    /**
     * The prefix of a group of keys that must share a slot: {@code service:{tag}:} on Redis Cluster,
     * {@code service:} elsewhere. Keys of the group are this prefix and their usual name ({@code items:BOOK-001}).
     *
     * @param service the service's own prefix, with its colon ({@code inventory:}); its Redis user may touch only
     *                keys under it, so the tag goes after it
     * @param tag     what the group is named by (a family id); no braces
     */
    public String group(String service, String tag) {
        if (tag.indexOf('{') >= 0 || tag.indexOf('}') >= 0) {
            throw new IllegalArgumentException("a hash tag cannot contain braces: " + tag);
        }
        return cluster ? service + "{" + tag + "}:" : service;
    }

    /**
     * The live revocations (sorted set by expiry): a contract between auth-service, which writes it together with
     * {@link #revocationStream()} in one script, and the resource services, which read both.
     */
    public String denied() {
        return group("auth:", "revocations") + "denied";
    }

    /** The stream of revocations the resource services follow; see {@link #denied()}. */
    public String revocationStream() {
        return group("auth:", "revocations") + "revocations";
    }

    public boolean cluster() {
        return cluster;
    }
}
