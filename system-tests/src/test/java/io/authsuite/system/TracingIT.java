package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.system.OtlpCollector.ExportedSpan;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One order is one trace across the three services: the services run as packaged, with tracing switched on by
 * configuration alone, and export their spans over OTLP to a collector in this test.
 */
class TracingIT {

    /** The trace a caller of orders-service started, in the test that sends a traceparent. */
    private static final String EDGE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private static OtlpCollector collector;
    private static Suite suite;

    @BeforeAll
    static void start() {
        collector = new OtlpCollector();
        // Both transports: gRPC, the default and what the k8s tracing component uses, and OTLP/HTTP.
        Map<String, String> overGrpc = tracing(collector.grpcEndpoint(), "grpc");
        suite = Suite.startPrivate(Map.of("auth-service", overGrpc, "orders-service", overGrpc,
                "inventory-service", tracing(collector.endpoint(), "http/protobuf")));
    }

    private static Map<String, String> tracing(String endpoint, String protocol) {
        return Map.of(
                "OTEL_TRACES_SAMPLER_ARG", "1",
                "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
                "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    private static String order(String token, String sku, Map<String, String> headers) {
        return given().auth().oauth2(token).headers(headers).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
    }

    /** Waits for the batch exporters (100 ms here) until {@code done} holds for the spans of {@code traceId}. */
    private static List<ExportedSpan> trace(String traceId, Predicate<List<ExportedSpan>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<ExportedSpan> spans = List.of();
        while (System.nanoTime() < deadline) {
            spans = collector.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
            if (done.test(spans) && complete(spans)) {
                return spans;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("trace " + traceId + " incomplete after 15 s: " + spans);
    }

    /** Every parent within the trace is exported too (the services' batches arrive in any order). */
    private static boolean complete(List<ExportedSpan> spans) {
        java.util.Set<String> ids = spans.stream().map(ExportedSpan::spanId).collect(java.util.stream.Collectors.toSet());
        return spans.stream().filter(s -> !s.parentSpanId().isEmpty() && !s.parentSpanId().equals(CALLER_SPAN))
                .allMatch(s -> ids.contains(s.parentSpanId()));
    }

    /** Waits for a span that matches {@code wanted}. */
    private static ExportedSpan awaitSpan(Predicate<ExportedSpan> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ExportedSpan> found = collector.spans().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such span after 15 s among " + collector.spans());
    }

    private static boolean isOrderSpan(ExportedSpan span) {
        return span.service().equals("orders-service") && span.isServer() && span.name().equals("POST /orders");
    }

    private static boolean servedBy(List<ExportedSpan> spans, String service) {
        return spans.stream().anyMatch(s -> s.service().equals(service) && s.isServer());
    }

    /** The span of {@code spans} with this id. */
    private static ExportedSpan byId(List<ExportedSpan> spans, String spanId) {
        return spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + spans));
    }

    /**
     * Every span of another service in the trace is a server span whose parent is a client span of orders-service,
     * and every span of orders-service descends from the order's server span.
     */
    private static void assertLinked(List<ExportedSpan> spans, ExportedSpan root) {
        for (ExportedSpan span : spans) {
            if (span.service().equals("orders-service")) {
                ExportedSpan at = span;
                while (!at.spanId().equals(root.spanId())) {
                    at = byId(spans, at.parentSpanId());
                    assertEquals("orders-service", at.service(), "an orders-service span whose parent is elsewhere: " + span);
                }
            } else if (span.isServer()) {
                ExportedSpan caller = byId(spans, span.parentSpanId());
                assertEquals("orders-service", caller.service(), span + " called by " + caller);
                assertTrue(caller.isClient(), "parent of " + span + " is the client span of the call: " + caller);
            }
        }
    }

    @Test
    void personsOrderThenOneTraceThroughOrdersAuthAndInventory() throws Exception {
        String sku = suite.newItem("TRACED", 10);
        Set<String> placed = new HashSet<>();
        ExportedSpan root;
        List<ExportedSpan> spans;
        for (int attempt = 1; ; attempt++) {
            // A new sign-in each time: orders-service keeps the exchanged token of a person's token it has seen.
            String person = suite.accessTokenFor("alice", "alice-password", "openid orders:write inventory:read");
            order(person, sku, Map.of());
            // The order's server span in orders-service starts the trace (no traceparent came in with it).
            root = awaitSpan(s -> isOrderSpan(s) && !s.traceId().equals(EDGE_TRACE) && !placed.contains(s.traceId()));
            placed.add(root.traceId());
            assertEquals("", root.parentSpanId(), "the order's span is the root of its trace");
            try {
                // The person's token was exchanged at auth-service (RFC 8693, through quarkus-oidc-client) and the
                // stock reserved at inventory-service, both within the order's trace.
                spans = trace(root.traceId(), s -> servedBy(s, "auth-service") && servedBy(s, "inventory-service"));
                break;
            } catch (AssertionError incomplete) {
                // In one CI run of several (2026-12-07), auth-service's gRPC batch with the exchange never arrived
                // and auth-service logged nothing. That is what an export that never completes looks like: the batch
                // processor drops it after its timeout and says so only at FINE (sporadic gRPC export failures of
                // Quarkus' Vert.x exporter: quarkusio/quarkus#35686). A second order, a new trace, tells a lost batch
                // from an exporter that does not work; two in a row fail the test.
                if (attempt == 2) {
                    throw incomplete;
                }
                System.out.println("TracingIT: first order's trace incomplete, placing a second: " + incomplete.getMessage());
            }
        }
        assertLinked(spans, root);
        for (ExportedSpan span : spans) {
            assertEquals(span.service().equals("inventory-service") ? "http/protobuf" : "grpc", span.protocol(),
                    "the transport the service was told to export over: " + span);
        }
        assertTrue(spans.stream().anyMatch(s -> s.service().equals("auth-service") && s.name().equals("POST /oauth2/token")),
                "the token exchange is in the order's trace: " + spans);
        // auth-service writes the trace id into its audit event of the exchange, and its log lines.
        String authLog = suite.auth.log();
        String traceId = root.traceId();
        assertTrue(authLog.lines().anyMatch(l -> l.contains(traceId) && l.contains("token_issued")),
                "an audit line of the exchange with the trace id " + traceId);
    }

    @Test
    void callerSendsTraceparentThenOrderContinuesThatTrace() throws Exception {
        String sku = suite.newItem("TRACED-EDGE", 10);
        // The caller's sampled flag is off: the services sample by trace id alone, so a caller can neither switch
        // tracing on nor off, but its trace continues.
        order(suite.demoCliToken("orders:write"), sku, Map.of("traceparent", "00-" + EDGE_TRACE + "-" + CALLER_SPAN + "-00"));
        List<ExportedSpan> spans = trace(EDGE_TRACE, s -> servedBy(s, "orders-service") && servedBy(s, "inventory-service"));
        ExportedSpan root = spans.stream()
                .filter(s -> s.service().equals("orders-service") && s.isServer()).findFirst().orElseThrow();
        assertEquals(CALLER_SPAN, root.parentSpanId());
        assertLinked(spans, root);
    }
}
