package dev.qlanes.jmh.cases;

import dev.qlanes.jmh.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One case of the registry: a kernel family at one shape, the benchmarks that measure it (each in some profiles),
 * and the throughput ratios the gate checks on it.
 *
 * @param id        {@code FAMILY-SHAPE}, e.g. {@code qs8-fc-int8out-gemv-1x1024x1024}
 * @param family    its kernel family
 * @param shapeText the shape as written in the id: {@code LENGTH} for a dot product, else {@code BxRxC}
 * @param shape     the shape; a dot product of length {@code n} is {@code 1x1xn}
 * @param bindings  benchmark → the profiles (besides {@code full}) it is measured in there, in file order
 * @param gate      the gated ratios of its {@code @gate} binding; empty when it is not gated
 */
public record KernelCase(String id, KernelFamily family, String shapeText, Shape shape, Map<Bench, Set<String>> bindings,
        List<GateRatio> gate) {

    /** The profile every binding of a sweep benchmark belongs to without naming it. */
    public static final String FULL = "full";
    /** The profile whose bindings the CI gate measures. */
    public static final String GATE = "gate";

    /** Whether {@code profile} measures this case with {@code bench}. */
    public boolean in(String profile, Bench bench) {
        Set<String> profiles = bindings.get(bench);
        return profiles != null && (profile.equals(FULL) ? bench.sweep() : profiles.contains(profile));
    }

    /** The benchmark the gate measures this case with, if it is gated. */
    public Optional<Bench> gateBench() {
        return bindings.keySet().stream().filter(b -> in(GATE, b)).findFirst();
    }

    /** The baseline key of a gated ratio: {@code ID.FAST/SLOW}. */
    public String gateKey(GateRatio ratio) {
        return id + "." + ratio;
    }
}
