package io.oe.schemas.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (2-byte marker, 8-byte schema fingerprint, binary body) for one event type.
 * Decoding resolves older writer schemas through one shared {@link SchemaStore}: register every released
 * version of a schema there and events written with it still decode: every version kept in {@link SchemaHistory}
 * is registered at start. Used through {@link SingleObjectFormat}, the default {@link WireFormat}.
 */
public final class EventCodec<T extends SpecificRecord> {
    private static final SchemaStore.Cache KNOWN_SCHEMAS = new SchemaStore.Cache();
    private static final Map<Class<?>, EventCodec<?>> CODECS = new ConcurrentHashMap<>();

    static {
        io.oe.schemas.SchemaHistory.all().forEach(KNOWN_SCHEMAS::addSchema);
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        KNOWN_SCHEMAS.addSchema(schema);
        SpecificData model = SpecificData.getForClass(type); // the generated class's model: it knows its logical types
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, KNOWN_SCHEMAS);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> EventCodec<T> of(Class<T> type) {
        return (EventCodec<T>) CODECS.computeIfAbsent(type, t -> new EventCodec<>(type));
    }

    /** Makes events written with an earlier version of a schema readable. */
    public static void registerWriterSchema(Schema schema) {
        KNOWN_SCHEMAS.addSchema(schema);
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new EventDecodingException(type.getSimpleName() + ": written with a schema this service does not know ("
                    + e.getMessage() + ")", e);
        } catch (BadHeaderException e) {
            throw new EventDecodingException(type.getSimpleName() + ": not an Avro single-object encoded event ("
                    + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new EventDecodingException(type.getSimpleName() + ": malformed event body (" + e + ")", e);
        }
    }

    public Class<T> type() {
        return type;
    }
}
