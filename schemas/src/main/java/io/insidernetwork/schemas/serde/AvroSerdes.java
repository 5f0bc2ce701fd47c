package io.insidernetwork.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
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
        final BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, current, store);
        return Serdes.serdeFrom(new AvroSerializer<>(singleObjectHeader(current),
            new NullableUnionWriter<T>(current, model)),
            new AvroDeserializer<>(decoder, current.getFullName()));
    }

    /** The single-object encoding header of {@code schema}: marker C3 01, then its CRC-64-AVRO fingerprint (LE). */
    static byte[] singleObjectHeader(final Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        final byte[] header = new byte[10];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 2; i < header.length; i++) {
            header[i] = (byte) fingerprint;
            fingerprint >>= 8;
        }
        return header;
    }

    /**
     * Writes what Avro's {@code BinaryMessageEncoder} writes (header, then the binary body), but through a buffered
     * encoder into a per-thread buffer that is copied out once. The message encoder writes every field straight to
     * a synchronized stream and copies its result twice; bulk producers serialize hundreds of thousands of records a
     * second. The datum writer is shared (it keeps no state between writes, as in the message encoder).
     */
    private static final class AvroSerializer<T> implements Serializer<T> {
        private final byte[] header;
        private final DatumWriter<T> writer;
        private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

        AvroSerializer(final byte[] header, final DatumWriter<T> writer) {
            this.header = header;
            this.writer = writer;
        }

        @Override
        public byte[] serialize(final String topic, final T data) {
            if (data == null) {
                return null;
            }
            final Buffer buffer = buffers.get();
            boolean written = false;
            try {
                buffer.out.reset();
                buffer.out.write(header);
                writer.write(data, buffer.encoder);
                buffer.encoder.flush();
                written = true;
                return buffer.out.toByteArray();
            } catch (final IOException | AvroRuntimeException e) {
                throw new SerializationException("cannot encode record for topic " + topic, e);
            } finally {
                if (!written) {
                    // A failed write may leave bytes in the encoder's buffer: the next record starts clean.
                    buffers.remove();
                }
            }
        }
    }

    /**
     * Resolves {@code ["null", X]} unions (every optional field) by null-ness alone. Avro resolves each union value
     * by its schema name, with two hash lookups per optional field; a generated record's typed field holds either
     * null or an X, so the answer is the same.
     */
    private static final class NullableUnionWriter<T> extends SpecificDatumWriter<T> {
        NullableUnionWriter(final Schema schema, final SpecificData model) {
            super(schema, model);
        }

        @Override
        protected int resolveUnion(final Schema union, final Object datum) {
            final List<Schema> types = union.getTypes();
            if (types.size() == 2) {
                if (types.get(0).getType() == Schema.Type.NULL) {
                    return datum == null ? 0 : 1;
                }
                if (types.get(1).getType() == Schema.Type.NULL) {
                    return datum == null ? 1 : 0;
                }
            }
            return super.resolveUnion(union, datum);
        }
    }

    /** One thread's output buffer and the binary encoder bound to it. */
    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        private final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
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
