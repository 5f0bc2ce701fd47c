package io.insidernetwork.ingest;

import io.insidernetwork.schemas.config.ServiceRunner;

/** Runs the ingest service: {@code IngestMain [config.properties]}; environment variables override the file. */
public final class IngestMain {

    private IngestMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        ServiceRunner.run("ingest", args, IngestConfig::load, IngestService::start);
    }
}
