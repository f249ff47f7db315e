package io.authsuite.auth.tracing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.authsuite.auth.TestClients;
import io.authsuite.auth.audit.AuditAssertions;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.token.TokenRequests;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** auth-service's side of tracing: a token request is a span of the caller's trace, and its audit event names it. */
@QuarkusTest
@TestProfile(TracingTest.Sampled.class)
class TracingTest {

    /** A token request authenticated with client_secret_basic. */
    private static RequestSpecification asClient(String id, String secret) {
        return given().header("Authorization", TokenRequests.basic(id, secret))
                .contentType("application/x-www-form-urlencoded");
    }

    /** Tracing switched on as an operator does it: every trace sampled. */
    public static class Sampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Inject
    AuditLog audit;

    /** The server span of {@code traceId} (of any trace when null), once exported. */
    private SpanData awaitServerSpan(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SpanData> span = spans.getFinishedSpanItems().stream()
                    .filter(s -> (traceId == null || s.getTraceId().equals(traceId)) && s.getKind() == SpanKind.SERVER).findFirst();
            if (span.isPresent()) {
                return span.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no server span of trace " + traceId + " among " + spans.getFinishedSpanItems());
    }

    @Test
    void tokenRequestWithTraceparentThenSpanContinuesTraceAndAuditEventNamesIt() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String callerSpan = "b7ad6b7169203331";
        asClient(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200);

        SpanData server = awaitServerSpan(traceId);
        assertEquals(callerSpan, server.getParentSpanId());
        assertEquals("POST /oauth2/token", server.getName());
        assertEquals(traceId, AuditAssertions.latest(audit, AuditTypes.TOKEN_ISSUED,
                e -> TestClients.SERVICE.equals(e.client()) && traceId.equals(e.traceId())).traceId());
    }

    @Test
    void tokenRequestWithoutTraceparentThenRootSpanAndAuditEventNamesIt() throws Exception {
        spans.reset();
        asClient(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE))
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200);
        SpanData server = awaitServerSpan(null);
        assertFalse(server.getParentSpanContext().isValid(), "a trace of its own");
        assertEquals(server.getTraceId(), AuditAssertions.latest(audit, AuditTypes.TOKEN_ISSUED,
                e -> TestClients.SERVICE.equals(e.client())).traceId());
    }
}
