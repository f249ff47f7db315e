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
 * The network in front of a Redis primary: a TCP relay on a loopback port that is the primary's address for everyone
 * (Sentinels, services and replicas; otherwise the Sentinels would repoint the replicas at the real port). It can
 * {@linkplain #holdBack() hold back} what the primary sends to its replicas (the connections that asked for PSYNC or
 * SYNC), as a congested link does, so that they fall behind while the primary keeps answering everyone else; and it
 * can be {@linkplain #sever() severed}, dropping what it held, as when the primary's machine dies with the data still
 * in its buffers. A frozen replica (SIGSTOP) would not do: its kernel still takes the bytes, and it applies them when
 * it resumes.
 */
public final class ReplicationLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean heldBack;
    private volatile boolean severed;

    private ReplicationLink(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A relay to the primary on {@code targetPort}, on a free loopback port. */
    public static ReplicationLink to(int targetPort) {
        try {
            ReplicationLink link = new ReplicationLink(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()),
                    targetPort);
            Thread.ofPlatform().daemon().name("replication-link-" + targetPort).start(link::accept);
            return link;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on, what the primary sends its replicas stays in the relay: they fall behind. */
    public void holdBack() {
        heldBack = true;
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
                Socket primary = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(primary);
                Connection connection = new Connection();
                pump(primary, client, connection, true);
                pump(client, primary, connection, false);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Whether a connection is a replica's replication stream, learnt from what the client sent. */
    private static final class Connection {
        volatile boolean replication;
    }

    private void pump(Socket from, Socket to, Connection connection, boolean fromPrimary) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!fromPrimary && !connection.replication) {
                        String sent = new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
                        connection.replication = sent.contains("PSYNC") || sent.contains("\nSYNC");
                    }
                    while (fromPrimary && connection.replication && heldBack && !severed) {
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
        sockets.forEach(ReplicationLink::closeQuietly);
    }
}
