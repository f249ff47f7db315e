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
 * A Redis that fails over: a primary, two replicas and three Sentinels (quorum 2), each a {@code redis-server} process
 * of the same binary on a loopback port. Two replicas, so that after losing the primary the promoted one still has a
 * replica to acknowledge durable writes (the services wait for one). The users and their passwords are the same on all: {@code redis/users.acl}
 * on the two servers, {@code redis/sentinel-users.acl} on the Sentinels. A service connects the way a deployment
 * with Sentinel connects ({@link #serviceEnv}): to the Sentinels, which name the primary.
 */
public final class RedisSentinels implements RedisDeployment {

    /** The name the Sentinels monitor the primary under ({@code QUARKUS_REDIS_MASTER_NAME}). */
    public static final String MASTER = "authsuite";

    private final Map<String, String> passwords;
    private final List<RedisServer> servers;
    private final List<Process> sentinels;
    private final List<Integer> sentinelPorts;
    private final Path dir;
    private NetworkLink link;

    private RedisSentinels(Map<String, String> passwords, List<RedisServer> servers, List<Process> sentinels,
                           List<Integer> sentinelPorts, Path dir) {
        this.dir = dir;
        this.passwords = passwords;
        this.servers = servers;
        this.sentinels = sentinels;
        this.sentinelPorts = sentinelPorts;
    }

    /** Starts the six processes and returns once the Sentinels agree on the primary and see its replicas. */
    public static RedisSentinels start() {
        return start(false);
    }

    /**
     * {@link #start()} with the first primary behind a {@link NetworkLink} that a test can hold back and sever
     * ({@link #replicationLink()}); after the first failover the Sentinels name the real address of the new one.
     */
    public static RedisSentinels startWithNetworkLink() {
        return start(true);
    }

    private static RedisSentinels start(boolean linked) {
        Map<String, String> passwords = RedisServer.newPasswords();
        String admin = passwords.get(RedisServer.ADMIN);
        // Either server may be the replica after a failover: both can log in to the other as the operator.
        List<String> auth = new ArrayList<>(List.of("--masteruser", RedisServer.ADMIN, "--masterauth", admin));
        List<RedisServer> servers = new ArrayList<>();
        List<Process> sentinels = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Path dir;
        try {
            dir = Files.createTempDirectory("authsuite-sentinels");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        RedisSentinels deployment = new RedisSentinels(passwords, servers, sentinels, ports, dir);
        try {
            // A replica's first sync has the primary write a snapshot: into the temp folder, not the working one.
            // No 5 s wait for more replicas before the transfer (the default): the fixture is ready sooner.
            auth.addAll(List.of("--dir", dir.toString(), "--repl-diskless-sync", "yes",
                    "--repl-diskless-sync-delay", "0"));
            RedisServer primary = RedisServer.start(RedisServer.freePort(), passwords, auth);
            servers.add(primary);
            if (linked) {
                deployment.link = NetworkLink.replicationTo(primary.port());
            }
            int primaryAddress = linked ? deployment.link.port() : primary.port();
            List<String> replicaArgs = new ArrayList<>(auth);
            replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primaryAddress)));
            for (int i = 0; i < 2; i++) {
                servers.add(RedisServer.start(RedisServer.freePort(), passwords, replicaArgs));
            }
            Path acl = RedisServer.writeAclFile(RedisServer.rulesFile("sentinel-users.acl"), passwords);
            for (int i = 0; i < 3; i++) {
                int port = RedisServer.freePort();
                Path conf = dir.resolve("sentinel-" + port + ".conf");
                Files.writeString(conf, String.join("\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir,
                        "aclfile " + acl,
                        "sentinel monitor " + MASTER + " 127.0.0.1 " + primaryAddress + " 2",
                        "sentinel auth-user " + MASTER + " " + RedisServer.ADMIN,
                        "sentinel auth-pass " + MASTER + " " + admin,
                        // Sentinels talk to each other as the operator too.
                        "sentinel sentinel-user " + RedisServer.ADMIN,
                        "sentinel sentinel-pass " + admin,
                        "sentinel down-after-milliseconds " + MASTER + " 1000",
                        "sentinel failover-timeout " + MASTER + " 10000",
                        ""));
                sentinels.add(new ProcessBuilder(RedisServer.binary().toString(), conf.toString(), "--sentinel")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel-" + port + ".log").toFile())
                        .start());
                ports.add(port);
            }
            deployment.await(Duration.ofSeconds(30), "the Sentinels to agree on the primary and its replica", () ->
                    ports.stream().allMatch(p -> {
                        List<String> master = List.of(deployment.sentinel(p, "SENTINEL", "master", MASTER).split(" "));
                        return field(master, "port").equals(Integer.toString(primaryAddress))
                                && field(master, "num-other-sentinels").equals("2")
                                && field(master, "num-slaves").equals("2");
                    }));
            // Known to the Sentinels is not yet in sync: a durable write waits for a replica that has loaded the data.
            deployment.await(Duration.ofSeconds(30), "both replicas in sync with the primary", () ->
                    primary.command("INFO", "replication").split("state=online", -1).length - 1 == 2);
            return deployment;
        } catch (IOException | RuntimeException e) {
            deployment.close();
            throw new IllegalStateException("could not start Redis with Sentinels", e);
        }
    }

    /** The value after {@code name} in a flat name/value reply ({@code SENTINEL master}), or "". */
    private static String field(List<String> reply, String name) {
        int i = reply.indexOf(name);
        return i >= 0 && i + 1 < reply.size() ? reply.get(i + 1) : "";
    }

    /** The Sentinels' addresses, as {@code REDIS_URL} lists them for the services. */
    public String url() {
        return sentinelPorts.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** As a deployment with Sentinel configures a service, durable writes waiting for the one replica included. */
    @Override
    public Map<String, String> serviceEnv(String user) {
        return Map.of("REDIS_URL", url(), "QUARKUS_REDIS_CLIENT_TYPE", "sentinel",
                "QUARKUS_REDIS_MASTER_NAME", MASTER, "QUARKUS_REDIS_ROLE", "master",
                "REDIS_USER", user, "QUARKUS_REDIS_PASSWORD", passwords.get(user),
                "REDIS_DURABLE_REPLICAS", "1");
    }

    /** The server the Sentinels name as primary now. */
    public RedisServer primary() {
        String address = sentinel(sentinelPorts.get(0), "SENTINEL", "get-master-addr-by-name", MASTER);
        if (link != null && address.equals("127.0.0.1 " + link.port())) {
            return servers.get(0);
        }
        return servers.stream().filter(s -> address.equals("127.0.0.1 " + s.port())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Sentinels name an unknown primary: " + address));
    }

    @Override
    public String command(String... args) {
        return primary().command(args);
    }

    /**
     * Kills the primary (SIGKILL) and waits until every Sentinel names another server; returns how long that took.
     */
    public Duration killPrimaryAndAwaitFailover(Duration timeout) {
        RedisServer old = primary();
        long started = System.nanoTime();
        old.kill();
        awaitPrimaryOtherThan(old, timeout);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Freezes the primary ({@link RedisServer#freeze}) and waits until every Sentinel names another server; returns
     * the frozen one, to {@linkplain RedisServer#thaw thaw} later.
     */
    public RedisServer freezePrimaryAndAwaitFailover(Duration timeout) {
        RedisServer old = primary();
        old.freeze();
        awaitPrimaryOtherThan(old, timeout);
        return old;
    }

    /** Waits until every Sentinel names the same primary, and not {@code old}; returns it. */
    public RedisServer awaitPrimaryOtherThan(RedisServer old, Duration timeout) {
        List<String> others = servers.stream().filter(s -> s != old).map(s -> "127.0.0.1 " + s.port()).toList();
        await(timeout, "a Sentinel failover away from port " + old.port(), () -> {
            List<String> named = sentinelPorts.stream()
                    .map(p -> sentinel(p, "SENTINEL", "get-master-addr-by-name", MASTER)).distinct().toList();
            return named.size() == 1 && others.contains(named.get(0));
        });
        return primary();
    }

    /** The servers that are not the primary now. */
    public List<RedisServer> replicas() {
        RedisServer primary = primary();
        return servers.stream().filter(s -> s != primary).toList();
    }

    /** The link the replicas first replicate through, when started {@link #startWithNetworkLink}. */
    public NetworkLink replicationLink() {
        if (link == null) {
            throw new IllegalStateException("started without a replication link");
        }
        return link;
    }

    /** One command to a Sentinel, as the operator. */
    public String sentinel(int port, String... args) {
        try {
            return RedisServer.send(port, RedisServer.ADMIN, passwords.get(RedisServer.ADMIN), args);
        } catch (IllegalStateException unreachable) {
            return "";
        }
    }

    public List<Integer> sentinelPorts() {
        return List.copyOf(sentinelPorts);
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            RedisServer.sleep(100);
        }
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
        for (Process p : sentinels) {
            p.destroyForcibly();
        }
        servers.forEach(RedisServer::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind
        }
    }
}
