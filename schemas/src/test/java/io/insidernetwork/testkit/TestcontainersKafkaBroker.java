package io.insidernetwork.testkit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a Docker container, with the image tag equal to the kafka-clients version on the class path.
 * Loaded only when {@code -Dkafka.tests=testcontainers} selects it, so builds without Docker never touch
 * Testcontainers.
 */
final class TestcontainersKafkaBroker implements KafkaBroker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestcontainersKafkaBroker.class);

    private final KafkaContainer container;

    private TestcontainersKafkaBroker(final KafkaContainer container) {
        this.container = container;
    }

    static TestcontainersKafkaBroker start() {
        final DockerImageName image = DockerImageName.parse("apache/kafka").withTag(AppInfoParser.getVersion());
        final KafkaContainer container = new KafkaContainer(image)
            .withEnv("KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS", KafkaBrokerExtension.RETENTION_CHECK_INTERVAL_MS)
            .withEnv("KAFKA_LOG_INITIAL_TASK_DELAY_MS", "0");
        final long startNanos = System.nanoTime();
        container.start();
        log.info("Kafka container {} started at {} in {} ms", image, container.getBootstrapServers(),
                (System.nanoTime() - startNanos) / 1_000_000);
        return new TestcontainersKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
        log.info("Kafka container stopped");
    }
}
