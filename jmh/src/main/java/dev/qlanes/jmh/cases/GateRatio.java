package dev.qlanes.jmh.cases;

/**
 * A gated throughput ratio, written {@code FAST/SLOW} in the registry: the median time of benchmark method
 * {@code slow} divided by that of {@code fast}, both measured in the same run (how many times faster {@code fast} is).
 */
public record GateRatio(String fast, String slow) {

    static GateRatio parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2 || !parts[0].matches("[a-z]\\w*") || !parts[1].matches("[a-z]\\w*")) {
            throw new IllegalArgumentException("gate ratio '" + text + "', expected FAST/SLOW benchmark methods, "
                    + "e.g. qlanes/reference");
        }
        return new GateRatio(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return fast + "/" + slow;
    }
}
