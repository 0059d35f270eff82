package io.oe.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Confluent wire format: a zero byte, the writer schema's registry id (4 bytes, big-endian), then the Avro binary
 * body. Schemas are registered under the subject {@code <topic>-value} (TopicNameStrategy); a reader resolves the
 * writer's schema by id and reads it into its own class, so older writers stay readable.
 */
public final class RegistryFramedFormat implements WireFormat {
    private static final byte MAGIC = 0;

    private final SchemaRegistry registry;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    public RegistryFramedFormat(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> byte[] encode(String topic, T event) {
        Schema schema = event.getSchema();
        int id = ids.computeIfAbsent(topic + "-value/" + schema.getFullName(),
                k -> registry.register(topic + "-value", schema));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<T>(schema, SpecificData.getForClass(event.getClass())).write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        }
        return out.toByteArray();
    }

    @Override
    public <T extends SpecificRecord> T decode(String topic, Class<T> type, byte[] bytes) {
        if (bytes.length < 5 || bytes[0] != MAGIC) {
            throw new EventDecodingException(type.getSimpleName() + ": not in the registry wire format (no magic byte)", null);
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        Schema writer;
        try {
            writer = registry.byId(id);
        } catch (RuntimeException e) {
            throw new EventDecodingException(type.getSimpleName() + ": schema id " + id + " unknown to the registry", e);
        }
        SpecificData model = SpecificData.getForClass(type);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        try {
            return new SpecificDatumReader<T>(writer, model.getSchema(type), model).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new EventDecodingException(type.getSimpleName() + ": malformed event body (" + e + ")", e);
        }
    }
}
