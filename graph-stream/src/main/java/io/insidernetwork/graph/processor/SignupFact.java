package io.insidernetwork.graph.processor;

/**
 * What the recipient's task remembers of its insider's (first) signup: when, which event, and whether it came
 * through a referral link (then it is credited to the referrer only; otherwise its {@link CreditSlot} says to whom).
 */
record SignupFact(long time, String eventId, boolean referred) {

    String encode() {
        return time + IndexKeys.SEP + referred + IndexKeys.SEP + eventId;
    }

    /** The fact {@link #encode} wrote, or null when there is none. */
    static SignupFact decode(final String value) {
        if (value == null) {
            return null;
        }
        final String[] parts = value.split(IndexKeys.SEP, 3);
        return new SignupFact(Long.parseLong(parts[0]), parts[2], Boolean.parseBoolean(parts[1]));
    }
}
