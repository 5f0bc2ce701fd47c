package io.insidernetwork.testkit;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;

/**
 * Starts one real Kafka broker per test JVM, on first use, and injects it as a {@link KafkaBroker} parameter.
 *
 * <p>The broker lives in the root {@link ExtensionContext} store, so every test class shares it and JUnit closes it
 * when the run ends. By default it is an in-process {@link EmbeddedKafkaBroker}; with
 * {@code -Dkafka.tests=testcontainers} it is the {@code apache/kafka} image of the kafka-clients version instead. The
 * same tests run on either.
 *
 * <p>Tests share the broker: give every test its own topics, group ids and application ids via {@link #uniqueName}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** System property choosing the broker: {@value #EMBEDDED} (the default) or {@value #TESTCONTAINERS}. */
    public static final String MODE_PROPERTY = "kafka.tests";
    public static final String EMBEDDED = "embedded";
    public static final String TESTCONTAINERS = "testcontainers";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String BROKER_KEY = "broker";
    private static final int MAX_PREFIX_LENGTH = 40;

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException {
        // The build points java.io.tmpdir under target/, which nothing else creates before @TempDir needs it.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        broker(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /**
     * A name unique to this call, prefixed with the current test method (or class) name, for topics, group ids and
     * application ids. Only {@code [a-z0-9._-]} characters, so it is valid as any of those.
     */
    public static String uniqueName(final ExtensionContext context) {
        final String prefix = context.getTestMethod()
                .map(Method::getName)
                .orElseGet(() -> context.getRequiredTestClass().getSimpleName());
        return uniqueName(prefix);
    }

    /** {@code prefix + "-" + 8 random hex digits}, with the prefix sanitized and shortened; never null. */
    public static String uniqueName(final String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        if (clean.length() > MAX_PREFIX_LENGTH) {
            clean = clean.substring(0, MAX_PREFIX_LENGTH);
        }
        return clean + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** How often the test brokers delete segments past their retention (the broker default is five minutes). */
    static final String RETENTION_CHECK_INTERVAL_MS = "1000";

    private static KafkaBroker broker(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(BROKER_KEY, key -> startBroker(), KafkaBroker.class);
    }

    private static KafkaBroker startBroker() {
        final String mode = System.getProperty(MODE_PROPERTY, EMBEDDED).trim();
        if (mode.isEmpty() || EMBEDDED.equals(mode)) {
            // retention checked every second from the start instead of every five minutes after 30 s: a topic whose
            // records (carrying old event times) would be deleted before they are read fails a test, not a backfill
            return new Embedded(EmbeddedKafkaBroker.builder()
                .property("log.retention.check.interval.ms", RETENTION_CHECK_INTERVAL_MS)
                .property("log.initial.task.delay.ms", "0").start());
        }
        if (TESTCONTAINERS.equals(mode)) {
            return startContainer();
        }
        throw new IllegalArgumentException(
                MODE_PROPERTY + " must be " + EMBEDDED + " or " + TESTCONTAINERS + ", not '" + mode + "'");
    }

    // A separate method, so TestcontainersKafkaBroker (and Testcontainers) load only when this branch runs.
    private static KafkaBroker startContainer() {
        return TestcontainersKafkaBroker.start();
    }

    /** Adapts the in-process broker; AutoCloseable so the JUnit store closes it at the end of the run. */
    private record Embedded(EmbeddedKafkaBroker broker) implements KafkaBroker, AutoCloseable {

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
