package io.insidernetwork.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time of the benchmark's server process, of this process and of the whole machine (every process, from
 * {@code /proc/stat}; 0 where that file does not exist), so that each phase's figures come with the load it ran
 * under.
 */
final class CpuMeter {

    /** Linux's USER_HZ: the unit of /proc/stat's counters. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds used at one moment. */
    record Snapshot(long nanoTime, double server, double loadgen, double machine) {
    }

    /** CPU seconds used during {@code wallSeconds} of wall time. */
    record Use(double wallSeconds, double server, double loadgen, double machine) {
        static final Use ZERO = new Use(0, 0, 0, 0);

        Use plus(final Use o) {
            return new Use(wallSeconds + o.wallSeconds, server + o.server, loadgen + o.loadgen, machine + o.machine);
        }
    }

    private final ProcessHandle server;

    CpuMeter(final long serverPid) {
        this.server = ProcessHandle.of(serverPid)
            .orElseThrow(() -> new IllegalArgumentException("no process " + serverPid));
    }

    Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), seconds(server), seconds(ProcessHandle.current()), machineBusy());
    }

    Use since(final Snapshot from) {
        final Snapshot now = snapshot();
        return new Use((now.nanoTime() - from.nanoTime()) / 1e9, now.server() - from.server(),
            now.loadgen() - from.loadgen(), now.machine() - from.machine());
    }

    private static double seconds(final ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    /** Busy CPU seconds of the whole machine since boot (all but idle and iowait), 0 without /proc/stat. */
    private static double machineBusy() {
        try {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (final IOException | RuntimeException e) {
            return 0;
        }
    }
}
