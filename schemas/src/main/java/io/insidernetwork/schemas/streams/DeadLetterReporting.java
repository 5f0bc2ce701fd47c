package io.insidernetwork.schemas.streams;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a service's dead-letter exception handlers ({@link DeadLetterDeserializationHandler},
 * {@link DeadLetterProcessingHandler}, {@link DeadLetterProductionHandler}) need besides the dead-letter topic
 * ({@code StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}): the service label, which names the reason
 * header ({@code __<service>.errors.reason}) and prefixes log lines, and the counter hook each dead letter is told to
 * (the service turns it into its metric, e.g. {@code graph_dead_letters_total{reason}}).
 *
 * <p>It travels in the Streams configuration under {@link #CONFIG_KEY}: Kafka Streams passes its configuration's
 * original objects to the handlers' {@code configure} (and to {@code ProcessorContext.appConfigs()}).
 *
 * @param service label of the service ("graph", "api"); letters, digits and '-' only
 * @param counter told the failure kind of every dead letter the handlers build, and of every failed changelog write
 */
public record DeadLetterReporting(String service, Counter counter) {

    /** Streams configuration key of the service's instance. */
    public static final String CONFIG_KEY = "insider.internal.dead.letter.reporting";

    /** Told each handled failure. */
    @FunctionalInterface
    public interface Counter {
        /** One record of {@code failure} went to the dead-letter topic (or, for a changelog write, failed the task). */
        void count(HandlerFailure failure);
    }

    public DeadLetterReporting {
        Objects.requireNonNull(counter, "counter");
        if (service == null || !service.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("service: letters, digits and '-' only, got " + service);
        }
    }

    /** Header with the failure's reason class ({@link HandlerFailure#reason()} for the handlers' dead letters). */
    public String reasonHeader() {
        return reasonHeader(service);
    }

    /** Header with the size of a value left out of a dead letter because it was too big. */
    public String valueDroppedHeader() {
        return "__" + service + ".errors.value.dropped.bytes";
    }

    /** The reason header of {@code service}'s dead letters. */
    public static String reasonHeader(final String service) {
        return "__" + service + ".errors.reason";
    }

    /** The instance in {@code configs}; a handler configured without one is a wiring mistake, told at start-up. */
    public static DeadLetterReporting from(final Map<String, ?> configs) {
        if (configs != null && configs.get(CONFIG_KEY) instanceof DeadLetterReporting reporting) {
            return reporting;
        }
        throw new IllegalStateException("Streams configuration has no " + DeadLetterReporting.class.getSimpleName()
            + " under " + CONFIG_KEY);
    }

    /**
     * Sets the three dead-letter exception handlers, the dead-letter {@code topic} and this instance in
     * {@code streamsProperties}.
     */
    public void applyTo(final Properties streamsProperties, final String topic) {
        streamsProperties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterDeserializationHandler.class);
        streamsProperties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterProcessingHandler.class);
        streamsProperties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterProductionHandler.class);
        streamsProperties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topic);
        streamsProperties.put(CONFIG_KEY, this);
    }

    /** The dead-letter topic in {@code configs}, which must be set. */
    static String topic(final Map<String, ?> configs) {
        final Object topic = configs == null ? null
            : configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (!(topic instanceof String name) || name.isBlank()) {
            throw new IllegalStateException("Streams configuration has no dead-letter topic ("
                + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + ")");
        }
        return name;
    }
}
