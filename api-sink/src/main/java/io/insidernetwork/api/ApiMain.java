package io.insidernetwork.api;

import io.insidernetwork.schemas.config.ServiceRunner;

/** Runs api-sink: {@code ApiMain [config.properties]}; environment variables override the file. */
public final class ApiMain {

    private ApiMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        ServiceRunner.run("api-sink", args, ApiConfig::load, ApiService::start);
    }
}
