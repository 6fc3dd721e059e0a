package dev.qlanes.jmh.report;

import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.GateRatio;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named benchmark selection with its JMH settings. Which kernel benchmarks it runs, and at which parameters,
 * comes from the registry ({@code kernel-cases.txt}): the cases bound to a benchmark in this profile ({@code full}:
 * every case of a sweep benchmark). Benchmarks that measure no kernel case (the real models) are named here.
 *
 * @param otherBenchmarks benchmarks outside the registry that the profile also runs, by simple class name
 */
record Profile(String name, String description, List<String> otherBenchmarks, int warmupIterations,
        int warmupMillis, int iterations, int iterationMillis, int forks, boolean gcProfiler) {

    private static final String MODELS_BENCHMARK = "ModelBenchmark";

    /**
     * The main job: about 8 minutes on a 2-core machine. Vector API code runs very slowly until C2 has compiled
     * it (C1 does not intrinsify it), so every benchmark gets 3.5 s of warm-up.
     */
    static final Profile DEFAULT = new Profile("default",
            "the registry's default cases (dot products, the fully-connected paths, GEMV peers) and 4 real models",
            List.of(MODELS_BENCHMARK), 7, 500, 4, 500, 1, true);

    /** The complete sweep of every case of a sweep benchmark: hours, for release reports. */
    static final Profile FULL = new Profile(KernelCase.FULL, "every registry case of every sweep benchmark, all models",
            List.of(MODELS_BENCHMARK), 5, 1000, 5, 1000, 2, true);

    /** The layer API: heap vs native vs memory-mapped weights, 1 vs 2 threads, small layers (about 6 minutes). */
    static final Profile LAYERS = new Profile("layers", "layer API: weight sources and threads at the registry's "
            + "layers cases", List.of(), 7, 500, 4, 500, 1, true);

    /** The real .tflite models alone: whole-model latency at batch 1 and 32 (about 2 minutes). */
    static final Profile MODELS = new Profile("models", "real .tflite models: float, hybrid and int8 forms",
            List.of(MODELS_BENCHMARK), 7, 500, 4, 500, 1, true);

    /** What the CI throughput gate measures: the registry's gated cases, only the methods of their ratios (~2 min). */
    static final Profile GATE = new Profile(KernelCase.GATE, "the ratios the CI gate checks", List.of(),
            7, 500, 4, 500, 1, false);

    /**
     * qlanes' layers against XNNPACK, ONNX Runtime and the native anchor, with the GEMM's floors, batch 1 to 256 at
     * 1024x1024 and 4096x1024 (about 13 minutes; needs libxnnpack0).
     */
    static final Profile GEMM = new Profile("gemm", "qlanes' int8 and hybrid layers against XNNPACK, ONNX Runtime and "
            + "the native anchor, with the GEMM's floors, batch 1 to 256",
            List.of(), 7, 500, 4, 500, 1, true);

    /** This profile with {@code forks} forks and nothing else changed (the gate's confirmation run). */
    Profile withForks(int forks) {
        return new Profile(name, description, otherBenchmarks, warmupIterations, warmupMillis, iterations,
                iterationMillis, forks, gcProfiler);
    }

    static Profile named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "full" -> FULL;
            case "gate" -> GATE;
            case "layers" -> LAYERS;
            case "models" -> MODELS;
            case "gemm" -> GEMM;
            default -> throw new IllegalArgumentException("profile '" + name
                    + "', expected default, full, layers, models, gemm or gate");
        };
    }

    /**
     * JMH include regexps: each registry benchmark of this profile (the gate: only the methods its ratios compare),
     * then the other benchmarks.
     */
    List<String> includes(KernelCases registry) {
        List<String> includes = new ArrayList<>();
        for (Bench b : registry.benches(name)) {
            includes.add("\\." + b.benchmark() + "\\." + (name.equals(KernelCase.GATE) ? gatedMethods(registry, b)
                    : ""));
        }
        otherBenchmarks.forEach(b -> includes.add("\\." + b + "\\."));
        return includes;
    }

    private static String gatedMethods(KernelCases registry, Bench bench) {
        Set<String> methods = new LinkedHashSet<>();
        for (KernelCase c : registry.gated()) {
            if (c.gateBench().orElseThrow() == bench) {
                for (GateRatio r : c.gate()) {
                    methods.add(r.fast());
                    methods.add(r.slow());
                }
            }
        }
        return "(" + String.join("|", methods) + ")$";
    }

    /** JMH parameter values ({@code name → values}) of this profile's cases; others keep their {@code @Param} lists. */
    Map<String, List<String>> params(KernelCases registry) {
        return new LinkedHashMap<>(registry.params(name));
    }
}
