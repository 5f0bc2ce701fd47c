package io.insidernetwork.graph;

import io.insidernetwork.schemas.config.ServiceRunner;

/** Runs graph-stream: {@code GraphStreamMain [config.properties]}; environment variables override the file. */
public final class GraphStreamMain {

    private GraphStreamMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        ServiceRunner.run("graph-stream", args, GraphStreamConfig::load, GraphStreamService::start);
    }
}
