package dev.qlanes.jmh.cases;

import dev.qlanes.jmh.DotProductBenchmark;
import dev.qlanes.jmh.FullyConnectedBenchmark;
import dev.qlanes.jmh.GemmFloorBenchmark;
import dev.qlanes.jmh.LayerBenchmark;
import dev.qlanes.jmh.MemoryReadFloorBenchmark;
import dev.qlanes.jmh.PeerGemvBenchmark;
import dev.qlanes.jmh.SmallLayerBenchmark;
import dev.qlanes.jmh.ThreadFloorBenchmark;
import dev.qlanes.jmh.WideningFloorBenchmark;
import dev.qlanes.jmh.XnnpackGemmBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The benchmarks a registry case can be bound to (the {@code BENCH} of a binding in {@code kernel-cases.txt}), with
 * the JMH parameters that select the case in each: the one place that knows a benchmark's parameter names.
 */
public enum Bench {
    /** {@link DotProductBenchmark}: {@code length}. */
    DOT("dot", DotProductBenchmark.class, true, KernelFamily::isDot, c -> Map.of("length", c.shapeText())),
    /** {@link FullyConnectedBenchmark}: {@code shape} and {@code path} (the path follows from the family). */
    FC("fc", FullyConnectedBenchmark.class, true, f -> FullyConnectedBenchmark.Path.of(f.kernel()) != null,
            c -> ordered("shape", c.shapeText(), "path", FullyConnectedBenchmark.Path.of(c.family().kernel()).name())),
    /** {@link PeerGemvBenchmark}: {@code gemvShape}; it measures the full-integer and the asymmetric hybrid path. */
    PEERS("peers", PeerGemvBenchmark.class, true,
            f -> Set.of("qs8-fc-int8out", "f32-qs8w-fc-hybrid_asym").contains(f.kernel()),
            c -> Map.of("gemvShape", c.shapeText())),
    /** {@link LayerBenchmark}: {@code layerShape}; sources, threads and requantization stay its own parameters. */
    LAYER("layer", LayerBenchmark.class, true, f -> f.variant().equals("layer"),
            c -> Map.of("layerShape", c.shapeText())),
    /** {@link WideningFloorBenchmark}: {@code length} for a dot product, {@code gemvShape} for the int8 GEMV. */
    FLOOR("floor", WideningFloorBenchmark.class, false,
            f -> f.isDot() || f.kernel().equals("qs8-fc-int8out"),
            c -> Map.of(c.family().isDot() ? "length" : "gemvShape", c.shapeText())),
    /** {@link SmallLayerBenchmark}: {@code smallShape}; both layers at batch 1, beside their dot products alone. */
    SMALL_LAYER("small", SmallLayerBenchmark.class, false,
            f -> f.variant().equals("layer") && f.tileName().equals("gemv"), c -> Map.of("smallShape", c.shapeText())),
    /** {@link MemoryReadFloorBenchmark}: {@code layerShape}. */
    READ_FLOOR("readfloor", MemoryReadFloorBenchmark.class, false, f -> f.variant().equals("layer"),
            c -> Map.of("layerShape", c.shapeText())),
    /** {@link ThreadFloorBenchmark}: {@code layerShape}. */
    THREAD_FLOOR("threadfloor", ThreadFloorBenchmark.class, false, f -> f.variant().equals("layer"),
            c -> Map.of("layerShape", c.shapeText())),
    /**
     * {@link XnnpackGemmBenchmark}: {@code fcShape}; one case per shape (the int8 family's) measures both qlanes layers
     * and XNNPACK's qs8 and f32 operators there.
     */
    XNNPACK("xnnpack", XnnpackGemmBenchmark.class, true, f -> f.kernel().equals("qs8-fc-int8out"),
            c -> Map.of("fcShape", c.shapeText())),
    /** {@link GemmFloorBenchmark}: {@code gemmShape}; the int8 family's batch cases (the floors' tiles take 4 rows). */
    GEMM_FLOOR("gemmfloor", GemmFloorBenchmark.class, false,
            f -> f.kernel().equals("qs8-fc-int8out") && f.tileName().equals("gemm"),
            c -> Map.of("gemmShape", c.shapeText()));

    private final String key;
    private final Class<?> benchmark;
    private final boolean sweep;
    private final Predicate<KernelFamily> accepts;
    private final Function<KernelCase, Map<String, String>> params;

    Bench(String key, Class<?> benchmark, boolean sweep, Predicate<KernelFamily> accepts,
            Function<KernelCase, Map<String, String>> params) {
        this.key = key;
        this.benchmark = benchmark;
        this.sweep = sweep;
        this.accepts = accepts;
        this.params = params;
    }

    /** The name used in {@code kernel-cases.txt}, e.g. {@code fc}. */
    public String key() {
        return key;
    }

    /** The benchmark class. */
    public Class<?> benchmarkClass() {
        return benchmark;
    }

    /** The benchmark's simple name, as JMH results and the report name it, e.g. {@code FullyConnectedBenchmark}. */
    public String benchmark() {
        return benchmark.getSimpleName();
    }

    /** Whether the {@code full} profile runs this benchmark's cases (floors are run by hand, beside what they bound). */
    public boolean sweep() {
        return sweep;
    }

    /** Whether a case of {@code family} can be measured by this benchmark. */
    boolean accepts(KernelFamily family) {
        return accepts.test(family);
    }

    /** The JMH parameters that select {@code c} in this benchmark, in a fixed order. */
    public Map<String, String> params(KernelCase c) {
        return params.apply(c);
    }

    static Bench of(String key) {
        for (Bench b : values()) {
            if (b.key.equals(key)) {
                return b;
            }
        }
        StringBuilder keys = new StringBuilder();
        for (Bench b : values()) {
            keys.append(keys.isEmpty() ? "" : ", ").append(b.key);
        }
        throw new IllegalArgumentException("benchmark '" + key + "', expected one of " + keys);
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
