package io.authsuite.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three primaries, each a {@code redis-server} process of the same binary in cluster mode on a
 * loopback port. The fixture assigns the slots itself (a third of the 16384 each, as {@code redis-cli --cluster
 * create} would) and introduces the nodes to each other, so no other tool is needed. The users and passwords of
 * {@code redis/users.acl} are the same on every node. A service connects the way a deployment on Redis Cluster does
 * ({@link #serviceEnv}): client type {@code cluster}, every node as a seed.
 *
 * <p>In cluster mode Redis refuses any command, transaction or script whose keys fall into more than one hash slot
 * (CROSSSLOT), even when one node holds both slots: so a test on this fixture proves the key layout, not only the
 * routing.
 */
public final class RedisCluster implements RedisDeployment {

    private static final int SLOTS = 16384;

    private final Map<String, String> passwords;
    private final List<RedisServer> nodes;
    private final Path dir;

    private RedisCluster(Map<String, String> passwords, List<RedisServer> nodes, Path dir) {
        this.passwords = passwords;
        this.nodes = nodes;
        this.dir = dir;
    }

    /** Starts three primaries and returns once every node reports {@code cluster_state:ok}. */
    public static RedisCluster start() {
        Map<String, String> passwords = RedisServer.newPasswords();
        Path dir;
        try {
            dir = Files.createTempDirectory("authsuite-cluster");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(passwords, nodes, dir);
        try {
            for (int i = 0; i < 3; i++) {
                int port = RedisServer.freeClusterPort();
                nodes.add(RedisServer.start(port, passwords, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                        "--cluster-node-timeout", "2000", "--dir", dir.toString())));
            }
            for (int i = 0; i < nodes.size(); i++) {
                int first = i * SLOTS / nodes.size();
                int last = (i + 1) * SLOTS / nodes.size() - 1;
                expectOk(nodes.get(i).command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first),
                        Integer.toString(last)));
            }
            for (RedisServer other : nodes.subList(1, nodes.size())) {
                expectOk(nodes.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(other.port())));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!nodes.stream().allMatch(n -> n.command("CLUSTER", "INFO").contains("cluster_state:ok")
                    && n.command("CLUSTER", "INFO").contains("cluster_known_nodes:" + nodes.size()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not reach cluster_state:ok");
                }
                RedisServer.sleep(100);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("could not start a Redis Cluster", e);
        }
    }

    private static void expectOk(String reply) {
        if (!"+OK".equals(reply)) {
            throw new IllegalStateException("cluster set-up refused: " + reply);
        }
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The seed nodes, as {@code REDIS_URL} lists them. */
    public String url() {
        return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    /** As a deployment on Redis Cluster configures a service. */
    @Override
    public Map<String, String> serviceEnv(String user) {
        return Map.of("REDIS_URL", url(), "QUARKUS_REDIS_CLIENT_TYPE", "cluster",
                "REDIS_USER", user, "QUARKUS_REDIS_PASSWORD", passwords.get(user));
    }

    /** One command as the operator, sent to the node that owns its key (following MOVED once). */
    @Override
    public String command(String... args) {
        String reply = nodes.get(0).command(args);
        if (reply.startsWith("-MOVED ")) {
            int port = Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1));
            return RedisServer.send(port, RedisServer.ADMIN, passwords.get(RedisServer.ADMIN), args);
        }
        return reply;
    }

    /** How many keys each node holds, in node order. */
    public List<Long> keysPerNode() {
        return nodes.stream().map(n -> Long.parseLong(n.command("DBSIZE").substring(1))).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind
        }
    }
}
