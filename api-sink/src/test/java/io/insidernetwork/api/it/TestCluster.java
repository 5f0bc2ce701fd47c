package io.insidernetwork.api.it;

import io.insidernetwork.api.ApiMain;
import io.insidernetwork.api.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * api-sink instances as separate JVM processes (ApiMain with a properties file), so a test can kill one with
 * SIGKILL like a crashed host: no shutdown hook, no group leave.
 */
final class TestCluster implements AutoCloseable {

    /** One running instance. */
    record Instance(int port, Process process) {
    }

    private final List<Instance> instances = new ArrayList<>();

    /** Starts {@code count} instances sharing one application id. */
    static TestCluster start(final int count, final String bootstrap, final String prefix, final Path dir,
                             final String extraProperties) {
        final TestCluster cluster = new TestCluster();
        try {
            for (int i = 0; i < count; i++) {
                cluster.instances.add(startOne(i, bootstrap, prefix, dir, extraProperties));
            }
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static Instance startOne(final int index, final String bootstrap, final String prefix, final Path dir,
                                     final String extraProperties) {
        try {
            final int port = freePort();
            final Path props = dir.resolve("api-" + index + ".properties");
            Files.writeString(props, String.join("\n",
                "kafka.bootstrap.servers=" + bootstrap,
                "topics.prefix=" + prefix,
                "api.application.id=" + prefix + "api",
                "api.state.dir=" + dir.resolve("state-" + index),
                "api.http.host=127.0.0.1",
                "api.http.port=" + port,
                "api.auth.keys=" + Fixtures.KEY_ENTRY + "," + Fixtures.BRAND_KEY_ENTRY,
                "api.secret=" + Fixtures.SECRET,
                "api.num.standby.replicas=1",
                "api.rate.limit.requests.per.second=100000",
                "api.rate.limit.burst=100000",
                // a killed instance's partitions move after this long
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000",
                extraProperties) + "\n", StandardCharsets.UTF_8);
            final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), ApiMain.class.getName(),
                props.toString());
            // logs outlive the test's temp dir, for diagnosis of a failed run
            final Path logs = Path.of("target", "it-logs", prefix);
            Files.createDirectories(logs);
            builder.redirectErrorStream(true).redirectOutput(logs.resolve("api-" + index + ".log").toFile());
            return new Instance(port, builder.start());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    List<Instance> instances() {
        return instances;
    }

    /** SIGKILL of instance {@code index}. */
    void kill(final int index) throws InterruptedException {
        final Process p = instances.get(index).process();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (final Instance i : instances) {
            i.process().destroy();
        }
        for (final Instance i : instances) {
            try {
                if (!i.process().waitFor(30, TimeUnit.SECONDS)) {
                    i.process().destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                i.process().destroyForcibly();
            }
        }
    }
}
