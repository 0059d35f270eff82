package io.oe.e2e;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver for tests (https://opentelemetry.io/docs/specs/otlp/#otlphttp): the services export to it
 * with {@code OE_OTLP_ENDPOINT} and the {@code http/protobuf} protocol, and it keeps every span it is sent. The request is
 * an {@code ExportTraceServiceRequest}, read by field number with protobuf's {@link UnknownFieldSet} (the OTLP message
 * classes are not needed for the few fields a test looks at; numbers from opentelemetry-proto's trace.proto,
 * resource.proto and common.proto). What it cannot read is answered 400 and remembered as a problem.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One span as received: its service (the resource's {@code service.name}) and the fields a test checks. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, Object> attributes, List<String> linkedSpanIds) {
        Object attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What to give OE_OTLP_ENDPOINT. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !type.startsWith("application/x-protobuf")) {
                problems.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " as " + type);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            try {
                spans.addAll(read(body));
            } catch (InvalidProtocolBufferException e) {
                problems.add(exchange.getRequestURI() + ": " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: everything accepted
        }
    }

    /** ExportTraceServiceRequest: resource_spans = 1 {resource = 1, scope_spans = 2 {spans = 2}}. */
    static List<Span> read(byte[] request) throws InvalidProtocolBufferException {
        List<Span> out = new ArrayList<>();
        for (ByteString resourceSpans : fields(UnknownFieldSet.parseFrom(request), 1)) {
            UnknownFieldSet rs = UnknownFieldSet.parseFrom(resourceSpans);
            String service = "";
            for (ByteString resource : fields(rs, 1)) {
                service = String.valueOf(attributes(UnknownFieldSet.parseFrom(resource), 1).get("service.name"));
            }
            for (ByteString scopeSpans : fields(rs, 2)) {
                for (ByteString span : fields(UnknownFieldSet.parseFrom(scopeSpans), 2)) {
                    out.add(span(service, UnknownFieldSet.parseFrom(span)));
                }
            }
        }
        return out;
    }

    /** Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, attributes = 9, links = 13 {trace_id 1, span_id 2}. */
    private static Span span(String service, UnknownFieldSet s) throws InvalidProtocolBufferException {
        List<String> links = new ArrayList<>();
        for (ByteString link : fields(s, 13)) {
            links.add(hex(first(UnknownFieldSet.parseFrom(link), 2)));
        }
        return new Span(service, hex(first(s, 1)), hex(first(s, 2)), hex(first(s, 4)), first(s, 5).toStringUtf8(),
                attributes(s, 9), links);
    }

    /** KeyValue {key = 1, value = 2: AnyValue {string_value = 1, bool_value = 2, int_value = 3, double_value = 4}}. */
    private static Map<String, Object> attributes(UnknownFieldSet message, int field) throws InvalidProtocolBufferException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ByteString kv : fields(message, field)) {
            UnknownFieldSet pair = UnknownFieldSet.parseFrom(kv);
            UnknownFieldSet value = UnknownFieldSet.parseFrom(first(pair, 2));
            Object v = value.hasField(1) ? first(value, 1).toStringUtf8()
                    : value.hasField(2) ? (Object) (value.getField(2).getVarintList().get(0) != 0)
                    : value.hasField(3) ? (Object) value.getField(3).getVarintList().get(0)
                    : value.hasField(4) ? (Object) Double.longBitsToDouble(value.getField(4).getFixed64List().get(0)) : null;
            out.put(first(pair, 1).toStringUtf8(), v);
        }
        return out;
    }

    private static List<ByteString> fields(UnknownFieldSet message, int number) {
        return message.hasField(number) ? message.getField(number).getLengthDelimitedList() : List.of();
    }

    private static ByteString first(UnknownFieldSet message, int number) {
        List<ByteString> all = fields(message, number);
        return all.isEmpty() ? ByteString.EMPTY : all.get(0);
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
