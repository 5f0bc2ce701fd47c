package io.insidernetwork.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serdes for generated Avro records in Avro single-object encoding (2-byte marker, 8-byte schema fingerprint,
 * binary body). Writers always use the current schema; readers resolve the writer's fingerprint against every shipped
 * version of the schema ({@link SchemaHistory}), so a record written by an older version is read by current code.
 */
public final class AvroSerdes {

    /** Package of every generated record of the contract. */
    static final String CONTRACT_PACKAGE = "io.insidernetwork.schemas.";

    static {
        // Avro 1.12 only instantiates trusted classes; the generated contract records are ours.
        final ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
            type -> type.getName().startsWith(CONTRACT_PACKAGE)));
    }

    private AvroSerdes() {
    }

    /** A serde for the generated record class {@code type}. Thread-safe; never null. */
    public static <T extends SpecificRecord> Serde<T> serde(final Class<T> type) {
        final SpecificData model = SpecificData.getForClass(type);
        final Schema current = model.getSchema(type);
        final SchemaStore.Cache store = new SchemaStore.Cache();
        final List<Schema> history = SchemaHistory.versions(current.getFullName());
        history.forEach(store::addSchema);
        store.addSchema(current);
        final BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(model, current);
        final BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, current, store);
        return Serdes.serdeFrom(new AvroSerializer<>(encoder), new AvroDeserializer<>(decoder, current.getFullName()));
    }

    private record AvroSerializer<T>(BinaryMessageEncoder<T> encoder) implements Serializer<T> {
        @Override
        public byte[] serialize(final String topic, final T data) {
            if (data == null) {
                return null;
            }
            try {
                final ByteBuffer buffer = encoder.encode(data);
                final byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (final IOException | AvroRuntimeException e) {
                throw new SerializationException("cannot encode record for topic " + topic, e);
            }
        }
    }

    private record AvroDeserializer<T>(BinaryMessageDecoder<T> decoder, String schemaName) implements Deserializer<T> {
        @Override
        public T deserialize(final String topic, final byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                return decoder.decode(data);
            } catch (final IOException | AvroRuntimeException e) {
                throw new SerializationException("cannot decode " + schemaName + " from topic " + topic + ": "
                    + e.getMessage(), e);
            }
        }
    }
}
