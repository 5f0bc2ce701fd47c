package io.insidernetwork.local;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.local.sim.PartnerEventGenerator;
import io.insidernetwork.local.sim.export.InsiderExportSandbox;
import io.insidernetwork.local.sim.insightiq.InsightIqSandbox;
import io.insidernetwork.local.sim.insightiq.SandboxWorld;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated upstreams of the local runtime: an InsightIQ sandbox the ingest poller walks (with a few 429s and
 * 5xx to show the retries) and that sends InsightIQ webhooks, and an Insider export server ingest requests a daily
 * export from. Both describe the same insiders as the partner-event simulator (same seed).
 */
final class Upstreams {

    private static final String PARTNER = "mybrand";
    private static final String INSIGHTIQ_USER = "local-demo";

    private Upstreams() {
    }

    /** Starts the upstreams and adds the ingest settings that point at them; returns them, to be closed. */
    static List<AutoCloseable> start(final LocalOptions.Simulation simulation, final Path dataDir,
                                     final int ingestPort, final Map<String, Object> ingest) throws IOException {
        final List<AutoCloseable> started = new ArrayList<>();
        final List<String> insiders = insiders(simulation);
        final String ingestUrl = "http://127.0.0.1:" + ingestPort;
        if (simulation.insightIq()) {
            final String password = random();
            final String hookToken = random();
            final InsightIqSandbox sandbox = InsightIqSandbox.start(
                new SandboxWorld(simulation.seed(), insiders, Clock.systemUTC()), 0, INSIGHTIQ_USER, password,
                new InsightIqSandbox.Faults(0.02, 0.01),
                new InsightIqSandbox.WebhookTarget(Optional.of(URI.create(ingestUrl + "/webhooks/v1/insightiq")),
                    Optional.of("X-InsightIQ-Signature: " + hookToken), Duration.ofSeconds(10)),
                simulation.seed());
            started.add(sandbox);
            ingest.put(IngestConfig.INSIGHTIQ_POLLER_ENABLED_CONFIG, true);
            ingest.put(IngestConfig.INSIGHTIQ_ENVIRONMENT_CONFIG, "sandbox");
            ingest.put(IngestConfig.INSIGHTIQ_BASE_URL_CONFIG, sandbox.baseUrl().toString());
            ingest.put(IngestConfig.INSIGHTIQ_CLIENT_ID_CONFIG, INSIGHTIQ_USER);
            ingest.put(IngestConfig.INSIGHTIQ_CLIENT_SECRET_CONFIG, password);
            ingest.put(IngestConfig.INSIGHTIQ_POLL_INTERVAL_MS_CONFIG, 60_000L);
            ingest.put(IngestConfig.INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG, 50);
            ingest.put(IngestConfig.INSIGHTIQ_WEBHOOK_SECRETS_CONFIG, hookToken);
            ingest.put(IngestConfig.INSIGHTIQ_WEBHOOK_AUTH_SCHEME_CONFIG, "token");
        }
        if (!"off".equals(simulation.exportFormat())) {
            final String token = random();
            final InsiderExportSandbox export = InsiderExportSandbox.start(0, PARTNER, token, insiders, 5_000,
                dataDir.resolve("export-files"), simulation.seed());
            started.add(export);
            ingest.put("ingest.export.partners", PARTNER + "=1");
            ingest.put("ingest.export.tokens", PARTNER + "=" + token);
            ingest.put("ingest.export.api.url", export.baseUrl().toString());
            // The export sandbox calls the webhook with the path token the local runtime generated.
            ingest.put("ingest.export.hook.url", ingestUrl + "/webhooks/v1/insider-export/"
                + ingest.get(ExportConfigDef.WEBHOOK_TOKEN_CONFIG));
            ingest.put("ingest.export.allow.http", true);
            ingest.put("ingest.export.allowed.hosts", "127.0.0.1:" + export.baseUrl().getPort());
            ingest.put("ingest.export.request.attributes", "*");
            ingest.put("ingest.export.request.format", simulation.exportFormat());
            ingest.put("ingest.export.download.dir", dataDir.resolve("export-downloads").toString());
        }
        return started;
    }

    /** The insiders of the simulation, as the partner-event generator lets them join. */
    static List<String> insiders(final LocalOptions.Simulation simulation) {
        final PartnerEventGenerator generator = new PartnerEventGenerator(simulation.seed(),
            Math.max(2, simulation.insiders()), PARTNER, Clock.systemUTC());
        while (generator.insiders().size() < simulation.insiders()) {
            generator.next();
        }
        return generator.insiders();
    }

    private static String random() {
        final byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
