package io.authsuite.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sends the cases of a hostile-input suite and reports every one whose status is not the pinned one, or is a 5xx. */
public final class HostileCases {

    /** One hostile request and the exact status it must get. */
    public record Case(String name, int expected, HttpRequest request) {
    }

    private HostileCases() {
    }

    /** Case name → what went wrong; empty when every case got its status. */
    public static Map<String, String> mismatches(List<Case> cases) throws IOException, InterruptedException {
        return mismatches(cases, r -> true);
    }

    /**
     * {@link #mismatches(List)}, and each refusal must also be in the service's standard shape ({@code shaped}),
     * except 414 and 431: Netty refuses a request line or headers too long before any of the service's code runs.
     */
    public static Map<String, String> mismatches(List<Case> cases, java.util.function.Predicate<HttpResponse<String>> shaped)
            throws IOException, InterruptedException {
        Map<String, String> wrong = new TreeMap<>();
        for (Case c : cases) {
            HttpResponse<String> r;
            // A client per case: the server closes the connection after some refusals (413, 431), and a pooled
            // connection it already closed would fail the next case for the wrong reason.
            try (HttpClient one = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                // An oversized body goes with Expect: 100-continue, so the 413 arrives before the body is pushed
                // into a connection the server has already closed.
                HttpRequest request = c.expected() == 413
                        ? HttpRequest.newBuilder(c.request(), (n, v) -> true).expectContinue(true).build() : c.request();
                r = one.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (r.statusCode() != c.expected() || r.statusCode() >= 500) {
                wrong.put(c.name(), "expected " + c.expected() + ", got " + r.statusCode() + ": "
                        + r.body().substring(0, Math.min(200, r.body().length())));
            } else if (r.statusCode() >= 400 && r.statusCode() != 414 && r.statusCode() != 431 && !shaped.test(r)) {
                wrong.put(c.name(), r.statusCode() + " not in the standard shape: "
                        + r.headers().firstValue("Content-Type").orElse("no Content-Type") + " "
                        + r.body().substring(0, Math.min(200, r.body().length())));
            }
        }
        return wrong;
    }

    /**
     * Sends {@code head} (a request line and headers announcing a body, without the body) over a plain HTTP/1.1
     * connection to {@code base} and reads until the server closes it. Returns everything read. Fails with
     * {@link java.net.SocketTimeoutException} when the server keeps the connection open for 10 s instead: it would
     * then read the unsent body as the next request.
     */
    public static String answerThenClosed(java.net.URI base, String head) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** RFC 9457: a problem document whose status is the answer's. */
    public static boolean problem(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                && r.body().contains("\"status\":" + r.statusCode());
    }

    /** RFC 6749 §5.2: a JSON object with an error code. */
    public static boolean oauthError(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                && r.body().matches("(?s)\\{.*\"error\"\\s*:\\s*\"[a-z_]+\".*");
    }
}
