package io.authsuite.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A real {@code redis-server} process on a free loopback port, for tests.
 *
 * <p>The binary is, in order: {@code $REDIS_SERVER} (a path), {@code redis-server} on the {@code PATH}, or the
 * statically linked Redis 7 that the {@code org.signal:embedded-redis} jar ships, extracted once to the temp folder.
 * Persistence is off: every server starts empty.
 *
 * <p>The server runs with the suite's ACL users ({@code redis/users.acl}), each with a password made for this
 * server, as a deployment does: a service under test connects as its own user ({@link #clientConfig},
 * {@link #serviceEnv}), so a command its rules do not allow fails here as it would in production. {@link #command}
 * speaks as {@code default}, the operator.
 */
public final class RedisServer implements RedisDeployment {

    private static final String BUNDLED = "redis-server-7.0.15-linux-";
    private static final int CLUSTER_BUS_OFFSET = 10000;
    private static final int MAX_CLUSTER_PORT = 65535 - CLUSTER_BUS_OFFSET;
    /** The operator's user: every right, used by the tests to look at and break things. */
    public static final String ADMIN = "default";

    private final Process process;
    private final Path log;
    private final int port;
    private final Map<String, String> passwords;
    private final List<String> arguments;

    private RedisServer(Process process, Path log, int port, Map<String, String> passwords, List<String> arguments) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.passwords = passwords;
        this.arguments = arguments;
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        return start(freePort());
    }

    public static RedisServer start(int port) {
        return start(port, newPasswords(), List.of());
    }

    /**
     * Starts a server with the given passwords of the users of {@code redis/users.acl} (servers that replicate each
     * other share them) and further {@code redis-server} arguments (say {@code --replicaof}).
     */
    static RedisServer start(int port, Map<String, String> passwords, List<String> arguments) {
        Path binary = binary();
        Path aclFile = writeAclFile(aclRules(), passwords);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                "--aclfile", aclFile.toString()));
        cmd.addAll(arguments);
        try {
            // Kept so that a server that will not start says why (a port too high for the cluster bus, say).
            Path log = Files.createTempFile("authsuite-redis-" + port, ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RedisServer server = new RedisServer(process, log, port, Map.copyOf(passwords), List.copyOf(arguments));
            server.awaitPing(Duration.ofSeconds(20));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
    }

    /**
     * A server that keeps its data in {@code dir} (append-only file, fsync on every write), so that a test can stop
     * it and {@link #startAgain} with the data it acknowledged.
     */
    public static RedisServer startPersistent(Path dir) {
        return start(freePort(), newPasswords(),
                List.of("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
    }

    /**
     * One server in cluster mode that holds every hash slot: a Redis Cluster in miniature. Redis checks the hash slots
     * of every script, transaction and multi-key command in cluster mode (CROSSSLOT) even when one node serves them
     * all, so a service's own tests run against it prove its key layout; see {@link RedisTestResource}.
     */
    public static RedisServer startOneNodeCluster() {
        Path nodes;
        try {
            nodes = Files.createTempFile("authsuite-cluster-nodes", ".conf");
            Files.delete(nodes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        nodes.toFile().deleteOnExit();
        RedisServer server = start(freeClusterPort(), newPasswords(), List.of("--cluster-enabled", "yes",
                "--cluster-config-file", nodes.toString()));
        String added = server.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        if (!"+OK".equals(added)) {
            server.close();
            throw new IllegalStateException("CLUSTER ADDSLOTSRANGE refused: " + added);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("the one-node cluster did not reach cluster_state:ok");
            }
            sleep(50);
        }
        return server;
    }

    /** Whether this server runs in cluster mode ({@link #startOneNodeCluster}). */
    public boolean clustered() {
        return arguments.contains("--cluster-enabled");
    }

    /** The same server again, on its port, with its users, settings and (if persistent) data. */
    public RedisServer startAgain() {
        return start(port, passwords, arguments);
    }

    /** A fresh password for every user of {@code redis/users.acl}. */
    static Map<String, String> newPasswords() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : users(aclRules())) {
            passwords.put(user, HexFormat.of().formatHex(randomBytes(24)));
        }
        if (!passwords.containsKey(ADMIN)) {
            throw new IllegalStateException(aclRules() + " has no user " + ADMIN);
        }
        return passwords;
    }

    /** Kills the server at once (SIGKILL), as a crashed node: no shutdown, no save. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the server without closing anything (SIGSTOP), as a frozen node or one cut off by a partition: its
     * connections stay open and nothing answers on them. {@link #thaw} resumes it.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a {@linkplain #freeze frozen} server (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The address in the form {@code quarkus.redis.hosts} takes, without a user: see {@link #clientConfig}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The password this server gave {@code user} (a user of {@code redis/users.acl}). */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Redis user " + user + " in " + aclRules() + ": " + passwords.keySet());
        }
        return password;
    }

    /** The Quarkus settings that connect a service in a test as {@code user}. */
    public Map<String, String> clientConfig(String user) {
        return Map.of("quarkus.redis.hosts", url(), "authsuite.redis.user", user,
                "quarkus.redis.password", password(user),
                "quarkus.redis.client-type", clustered() ? "cluster" : "standalone");
    }

    /** The environment that connects a packaged service as {@code user}, as the Kubernetes manifests set it. */
    @Override
    public Map<String, String> serviceEnv(String user) {
        return Map.of("REDIS_URL", url(), "REDIS_USER", user, "QUARKUS_REDIS_PASSWORD", password(user));
    }

    /**
     * Sends one command as the operator ({@code default}) and returns the raw first reply line, or a bulk reply's
     * text, for tests that look at Redis directly.
     */
    @Override
    public String command(String... args) {
        return commandAs(ADMIN, args);
    }

    /** How many keys match {@code pattern}, counted by the operator: a service's own user may not list keys. */
    public long keyCount(String pattern) {
        String reply = command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", pattern);
        if (!reply.startsWith(":")) {
            throw new IllegalStateException("KEYS " + pattern + ": " + reply);
        }
        return Long.parseLong(reply.substring(1));
    }

    /** The keys matching {@code pattern}, listed by the operator. */
    public java.util.Set<String> keys(String pattern) {
        String reply = command("EVAL", "return table.concat(redis.call('KEYS', ARGV[1]), '\\n')", "0", pattern);
        if (reply.startsWith("-")) {
            throw new IllegalStateException("KEYS " + pattern + ": " + reply);
        }
        return reply.isEmpty() ? java.util.Set.of() : java.util.Set.of(reply.split("\n"));
    }

    /** Sends one command as {@code user}: the reply shows what that user may do ({@code -NOPERM ...}). */
    public String commandAs(String user, String... args) {
        return send(port, user, password(user), args);
    }

    /**
     * Logs in to the Redis (or Sentinel) on {@code port} and sends one command. The reply as text: a status or error
     * line as sent ({@code +OK}, {@code -NOPERM ...}), an integer as {@code :N}, a bulk string's content, an array's
     * elements separated by spaces.
     */
    static String send(int port, String user, String password, String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(encode("AUTH", user, password));
            out.write(encode(args));
            out.flush();
            String auth = reply(in);
            if (!"+OK".equals(auth)) {
                throw new IllegalStateException("AUTH " + user + " refused: " + auth);
            }
            return reply(in);
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed", e);
        }
    }

    private static byte[] encode(String... args) {
        StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return req.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reply(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
            int len = Integer.parseInt(line.substring(1));
            byte[] body = in.readNBytes(len + 2);
            return new String(body, 0, len, StandardCharsets.UTF_8);
        }
        if (line.length() > 1 && line.charAt(0) == '*' && !line.toString().equals("*-1")) {
            List<String> items = new ArrayList<>();
            for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                items.add(reply(in));
            }
            return String.join(" ", items);
        }
        return line.toString();
    }

    /** The rules: {@code redis/users.acl} in the working folder or the nearest folder above it (the repository). */
    public static Path aclRules() {
        return rulesFile("users.acl");
    }

    /** A rules file of the repository's {@code redis/} folder, or of the folder {@code $REDIS_ACL_RULES}. */
    static Path rulesFile(String name) {
        String env = System.getenv("REDIS_ACL_RULES");
        if (env != null && !env.isBlank()) {
            return Path.of(env).resolve(name);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("redis").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis/" + name + " not found above " + Path.of("").toAbsolutePath()
                + "; set REDIS_ACL_RULES");
    }

    private static List<String[]> userLines(Path rules) {
        try {
            return Files.readAllLines(rules).stream().map(l -> l.strip().split("\\s+", 3))
                    .filter(w -> w.length == 3 && w[0].equals("user")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + rules, e);
        }
    }

    private static List<String> users(Path rules) {
        return userLines(rules).stream().map(w -> w[1]).toList();
    }

    /** Writes {@code rules} with each user's password (as its SHA-256, like scripts/k8s-secrets.sh) to a temp file. */
    static Path writeAclFile(Path rules, Map<String, String> passwords) {
        try {
            StringBuilder acl = new StringBuilder();
            for (String[] words : userLines(rules)) {
                String password = passwords.get(words[1]);
                if (password == null) {
                    throw new IllegalStateException("no password for Redis user " + words[1] + " of " + rules);
                }
                acl.append("user ").append(words[1]).append(" #").append(sha256Hex(password)).append(' ')
                        .append(words[2]).append('\n');
            }
            Path file = Files.createTempFile("authsuite-redis-users", ".acl",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            Files.writeString(file, acl);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the Redis ACL file", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // deleteOnExit has it
        }
    }

    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue()
                        + ": " + lastLine(log));
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Resolves the redis-server binary as described on the class. */
    public static Path binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return extractBundled(Path.of(System.getProperty("java.io.tmpdir"), "authsuite-redis"));
    }

    /** Copies the bundled binary for this machine into {@code dir} (once) and returns its path. */
    public static synchronized Path extractBundled(Path dir) {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String suffix = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("no bundled redis-server for " + arch + "; set REDIS_SERVER");
        };
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("no bundled redis-server for this OS; set REDIS_SERVER");
        }
        String name = BUNDLED + suffix;
        Path target = dir.resolve(name);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " not on the classpath (org.signal:embedded-redis)");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + name, e);
        }
    }

    public static int freePort() {
        return bind(0);
    }

    /**
     * A free port for a cluster node. Redis puts the cluster bus on the port 10000 higher, so the port must be 55535 or
     * less (Redis exits otherwise) and its bus port free as well. The kernel hands out ports up to 60999, so one in five
     * would not do.
     */
    public static int freeClusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = freePort();
            if (port <= MAX_CLUSTER_PORT && free(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port with a free cluster bus port");
    }

    /** Whether {@code port} can be bound on loopback now. */
    static boolean free(int port) {
        return bind(port) > 0;
    }

    /** Binds {@code port} (0: any) on loopback and releases it; the port bound, or -1 if it is taken. */
    private static int bind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return socket.getLocalPort();
        } catch (IOException e) {
            if (port != 0) {
                return -1;
            }
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code java -cp ... io.authsuite.testing.RedisServer DIR}: extracts the bundled binary and prints its path. */
    public static void main(String[] args) {
        System.out.println(extractBundled(Path.of(args.length > 0 ? args[0] : "target/redis")));
    }
}
