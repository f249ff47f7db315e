package io.authsuite.system;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector as far as the tests need one: it takes OTLP exports of spans over both transports the
 * services offer, OTLP/HTTP protobuf on {@code /v1/traces} and OTLP/gRPC (the services' default, and what the k8s
 * tracing component uses), and keeps the spans in memory.
 */
final class OtlpCollector implements AutoCloseable {

    /** The one gRPC method of the OTLP trace service. */
    private static final String GRPC_EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /**
     * One span as exported; ids are lower-case hex, {@code parentSpanId} is empty for a root. {@code protocol} is
     * how it came: {@code grpc} or {@code http/protobuf}, as OTEL_EXPORTER_OTLP_PROTOCOL names them.
     */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
            String protocol) {
        boolean isServer() {
            return "SPAN_KIND_SERVER".equals(kind);
        }

        boolean isClient() {
            return "SPAN_KIND_CLIENT".equals(kind);
        }
    }

    private final HttpServer server;
    private final Vertx vertx = Vertx.vertx();
    private final io.vertx.core.http.HttpServer grpc;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/traces", this::export);
        server.start();
        // gRPC is HTTP/2; the exporters speak it in clear text with prior knowledge, as to a collector's 4317.
        grpc = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::exportGrpc)
                .listen().toCompletionStage().toCompletableFuture().join();
    }

    /** The base address for OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT with protocol http/protobuf). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The address for OTLP/gRPC (OTEL_EXPORTER_OTLP_ENDPOINT with protocol grpc). */
    String grpcEndpoint() {
        return "http://127.0.0.1:" + grpc.actualPort();
    }

    List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            keep(ExportTraceServiceRequest.parseFrom(body.readAllBytes()), "http/protobuf");
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void exportGrpc(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2 || !GRPC_EXPORT.equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        String encoding = request.getHeader("grpc-encoding");
        request.body().onSuccess(body -> {
            String status = "0";
            try {
                keep(ExportTraceServiceRequest.parseFrom(unframe(body, encoding)), "grpc");
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                status = "3"; // INVALID_ARGUMENT: the exporter logs it, and the test sees the spans missing
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putTrailer("grpc-status", status)
                    .end(Buffer.buffer().appendByte((byte) 0).appendInt(answer.length).appendBytes(answer));
        });
    }

    /** The one message of a unary gRPC request: a compressed flag, a 4-byte length, then the message. */
    private static byte[] unframe(Buffer body, String encoding) {
        boolean compressed = body.getByte(0) == 1;
        byte[] message = body.getBytes(5, 5 + body.getInt(1));
        if (!compressed) {
            return message;
        }
        if (!"gzip".equalsIgnoreCase(encoding)) {
            throw new IllegalArgumentException("compressed with " + encoding);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void keep(ExportTraceServiceRequest request, String protocol) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name"))
                    .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst().orElse("");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(s -> spans.add(new ExportedSpan(service, hex(s.getTraceId()),
                        hex(s.getSpanId()), hex(s.getParentSpanId()), s.getName(), s.getKind().name(), protocol)));
            }
        }
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
