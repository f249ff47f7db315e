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
import java.util.List;
import java.util.Locale;

/**
 * A real {@code redis-server} process on a free loopback port, for tests.
 *
 * <p>The binary is, in order: {@code $REDIS_SERVER} (a path), {@code redis-server} on the {@code PATH}, or the
 * statically linked Redis 7 that the {@code org.signal:embedded-redis} jar ships, extracted once to the temp folder.
 * Persistence is off: every server starts empty.
 */
public final class RedisServer implements AutoCloseable {

    private static final String BUNDLED = "redis-server-7.0.15-linux-";

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        return start(freePort());
    }

    public static RedisServer start(int port) {
        Path binary = binary();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"));
        try {
            Process process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            RedisServer server = new RedisServer(process, port);
            server.awaitPing(Duration.ofSeconds(20));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
    }

    public int port() {
        return port;
    }

    /** The address in the form {@code quarkus.redis.hosts} takes. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Sends one inline command and returns the raw first reply line, for tests that look at Redis directly. */
    public String command(String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
                int len = Integer.parseInt(line.substring(1));
                byte[] body = in.readNBytes(len);
                return new String(body, StandardCharsets.UTF_8);
            }
            return line.toString();
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed", e);
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
    }

    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
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
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
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
