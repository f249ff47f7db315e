package io.authsuite.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network in front of a server: a TCP relay on a loopback port that clients use as the server's address. It can
 * {@linkplain #holdBack() hold back} what the server sends, as a congested link does, while the server has already done
 * the work; and it can be {@linkplain #sever() severed}, dropping what it held.
 *
 * <p>{@link #replicationTo} is a Redis primary's address for everyone (Sentinels, services and replicas; otherwise the
 * Sentinels would repoint the replicas at the real port) that holds back only the replication streams (connections
 * that asked for PSYNC or SYNC): the replicas fall behind while the primary keeps answering everyone else. A frozen
 * replica (SIGSTOP) would not do: its kernel still takes the bytes, and it applies them when it resumes.
 * {@link #to} holds back every answer: a caller then waits in the middle of a call whose effect has happened.
 */
public final class NetworkLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean heldBack;
    private volatile boolean severed;

    private NetworkLink(ServerSocket listener, int target, boolean replicationOnly) {
        this.listener = listener;
        this.target = target;
        this.replicationOnly = replicationOnly;
    }

    private final boolean replicationOnly;

    /** A relay to the Redis primary on {@code targetPort} that holds back only its replication streams. */
    public static NetworkLink replicationTo(int targetPort) {
        return start(targetPort, true);
    }

    /** A relay to the server on {@code targetPort} that holds back every answer. */
    public static NetworkLink to(int targetPort) {
        return start(targetPort, false);
    }

    private static NetworkLink start(int targetPort, boolean replicationOnly) {
        try {
            NetworkLink link = new NetworkLink(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()), targetPort,
                    replicationOnly);
            Thread.ofPlatform().daemon().name("network-link-" + targetPort).start(link::accept);
            return link;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on, what the server sends (to replicas only, for {@link #replicationTo}) stays in the relay. */
    public void holdBack() {
        heldBack = true;
    }

    /** Sends on what was held back, and everything after it. */
    public void release() {
        heldBack = false;
    }

    /** Closes every connection and refuses new ones, dropping whatever was held back. */
    public void sever() {
        severed = true;
        close();
    }

    private void accept() {
        while (!severed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                Connection connection = new Connection();
                connection.held = !replicationOnly;
                pump(server, client, connection, true);
                pump(client, server, connection, false);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Whether the answers of a connection may be held back: for replication only, learnt from what the client sent. */
    private static final class Connection {
        volatile boolean held;
    }

    private void pump(Socket from, Socket to, Connection connection, boolean fromServer) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!fromServer && !connection.held) {
                        String sent = new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
                        connection.held = sent.contains("PSYNC") || sent.contains("\nSYNC");
                    }
                    while (fromServer && connection.held && heldBack && !severed) {
                        Thread.sleep(20);
                    }
                    if (severed) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link is gone: both sides see it closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(NetworkLink::closeQuietly);
    }
}
