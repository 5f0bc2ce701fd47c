package io.insidernetwork.testkit;

/**
 * A running Kafka broker that tests connect to, injected by {@link KafkaBrokerExtension}. Its lifecycle belongs to
 * the extension: tests never close it.
 */
public interface KafkaBroker {

    /** The bootstrap address for clients, such as {@code 127.0.0.1:41234}; never null. */
    String bootstrapServers();
}
