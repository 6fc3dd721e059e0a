package dev.qlanes.jmh.report;

import java.util.List;
import java.util.Map;

/**
 * A named benchmark selection with its JMH settings.
 *
 * @param includes benchmark regexps, as on JMH's command line
 * @param params   parameter overrides ({@code name → values}); parameters not named keep their {@code @Param} lists
 */
record Profile(String name, String description, List<String> includes, Map<String, List<String>> params,
        int warmupIterations, int warmupMillis, int iterations, int iterationMillis, int forks, boolean gcProfiler) {

    /**
     * The main job: about 8 minutes on a 2-core machine. Vector API code runs very slowly until C2 has compiled
     * it (C1 does not intrinsify it), so every benchmark gets 3.5 s of warm-up.
     */
    static final Profile DEFAULT = new Profile("default",
            "dot products at 4 lengths; 4 paths at 3 layer/batch shapes; GEMV peers at 2 shapes; 4 real models",
            List.of("DotProductBenchmark", "FullyConnectedBenchmark", "PeerGemvBenchmark", "ModelBenchmark"),
            Map.of("length", List.of("64", "1024", "4096", "65536"),
                    "shape", List.of("1x1024x1024", "16x1024x1024", "1x8192x8192"),
                    "gemvShape", List.of("1x1024x1024", "16x1024x1024")),
            7, 500, 4, 500, 1, true);

    /** The complete sweep of every {@code @Param}: hours, for release reports. */
    static final Profile FULL = new Profile("full", "every benchmark and parameter as declared",
            List.of("DotProductBenchmark", "FullyConnectedBenchmark", "PeerGemvBenchmark", "LayerBenchmark",
                    "ModelBenchmark"), Map.of(),
            5, 1000, 5, 1000, 2, true);

    /** The layer API: heap vs native vs memory-mapped weights, 1 vs 2 threads (about 4 minutes). */
    static final Profile LAYERS = new Profile("layers", "layer API: weight sources and threads at 2 shapes",
            List.of("LayerBenchmark"), Map.of("layerShape", List.of("1x1024x1024", "16x1024x1024")),
            7, 500, 4, 500, 1, true);

    /** The real .tflite models alone: whole-model latency at batch 1 and 32 (about 2 minutes). */
    static final Profile MODELS = new Profile("models", "real .tflite models: float, hybrid and int8 forms",
            List.of("ModelBenchmark"), Map.of(), 7, 500, 4, 500, 1, true);

    /** What the CI throughput gate measures: the ratios it checks, in about 2 minutes. */
    static final Profile GATE = new Profile("gate", "the ratios the CI gate checks",
            List.of("DotProductBenchmark\\.(qlanes|reference|lucene)$", "FullyConnectedBenchmark"),
            Map.of("length", List.of("1024", "4096"), "shape", List.of("1x1024x1024", "16x1024x1024"),
                    "path", List.of("HYBRID_ASYMMETRIC", "FULL_INTEGER")),
            7, 500, 4, 500, 1, false);

    static Profile named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "full" -> FULL;
            case "gate" -> GATE;
            case "layers" -> LAYERS;
            case "models" -> MODELS;
            default -> throw new IllegalArgumentException("profile '" + name
                    + "', expected default, full, layers, models or gate");
        };
    }
}
