package dev.qlanes.jmh.report;

import static dev.qlanes.jmh.markdown.Markdown.text;

import dev.qlanes.jmh.Shape;
import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import dev.qlanes.jmh.markdown.Markdown;
import dev.qlanes.jmh.svg.SvgCharts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns one or more runs (e.g. an AVX2, an AVX-512 and a NEON machine) into the benchmark report: machines,
 * int8 dot products against peers, the fully-connected paths across batch and layer sizes, the GEMV peers and
 * the native anchor, and allocation per call. Numbers are JMH medians; throughput is GMAC/s, i.e. int8 (or
 * float) multiply-adds per nanosecond; ratios compare medians from the same run.
 */
final class PerformanceReport {
    private PerformanceReport() {}

    private static final String DOT = Bench.DOT.benchmark();
    private static final String FC = Bench.FC.benchmark();
    private static final String PEERS = Bench.PEERS.benchmark();
    private static final String LAYERS = Bench.LAYER.benchmark();

    static Markdown build(List<Run> runs) {
        return build(runs, KernelCases.registry());
    }

    /** The report for {@code runs}, its kernel sections' rows being the cases of {@code registry} that were measured. */
    static Markdown build(List<Run> runs, KernelCases registry) {
        Markdown doc = new Markdown();
        doc.heading(1, "qlanes benchmark report");
        doc.paragraph("JMH medians (average time per operation) and throughput in GMAC/s (10^9 multiply-adds per "
                + "second). Ratios are between medians of the same run. Every measured implementation's output was "
                + "checked against the scalar reference before timing (bit for bit for qlanes). The hybrid paths' "
                + "times **include the on-the-fly quantization of the float input**.");
        machines(doc, runs);
        dot(doc, runs, measured(runs, registry, Bench.DOT));
        fullyConnected(doc, runs, measured(runs, registry, Bench.FC));
        peers(doc, runs, measured(runs, registry, Bench.PEERS));
        layers(doc, runs, measured(runs, registry, Bench.LAYER));
        SmallLayerSection.append(doc, runs, measured(runs, registry, Bench.SMALL_LAYER));
        gemm(doc, runs, measured(runs, registry, Bench.XNNPACK));
        unlisted(doc, runs, registry);
        ModelSection.append(doc, runs);
        allocation(doc, runs);
        return doc;
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static void machines(Markdown doc, List<Run> runs) {
        doc.heading(2, "Machines");
        List<List<String>> rows = new ArrayList<>();
        for (Run run : runs) {
            Map<String, String> m = run.machine();
            rows.add(Stream.of(run.label(), m.getOrDefault("cpu", "?"), m.getOrDefault("simd", "?"),
                    m.getOrDefault("cores", "?"), m.getOrDefault("jdk", "?"), m.getOrDefault("kernels", "?"),
                    nativeAnchor(run)).map(Markdown::text).toList());
        }
        doc.table(List.of("run", "CPU", "SIMD flags", "cores", "JDK", "implementation", "native anchor"), rows);
    }

    /** The code path the run's native anchor compiled to, as its machine recorded it. */
    private static String nativeAnchor(Run run) {
        return run.machine().getOrDefault(Fingerprint.NATIVE_ANCHOR, "not recorded");
    }

    /** What the native anchor ran, for prose: the one run's path, or each run's. */
    private static String nativeAnchors(List<Run> runs) {
        if (runs.size() == 1) {
            return nativeAnchor(runs.get(0));
        }
        List<String> each = new ArrayList<>();
        runs.forEach(r -> each.add(r.label() + ": " + nativeAnchor(r)));
        return String.join("; ", each);
    }

    /** Whether {@code r} is a result of {@code bench} at (a superset of) {@code params}. */
    private static boolean matches(Run.Result r, Bench bench, Map<String, String> params) {
        return r.benchmark().equals(bench.benchmark())
                && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey())));
    }

    /** Whether {@code run} has a result of {@code bench} at {@code params}. */
    private static boolean has(Run run, Bench bench, Map<String, String> params) {
        return run.results().stream().anyMatch(r -> matches(r, bench, params));
    }

    /** The registry's cases of {@code bench} that some run measured, in registry order. */
    private static List<KernelCase> measured(List<Run> runs, KernelCases registry, Bench bench) {
        return registry.measuredBy(bench).stream()
                .filter(c -> runs.stream().anyMatch(r -> has(r, bench, bench.params(c)))).toList();
    }

    /** Distinct values of {@code param} over {@code cases}' parameters in {@code bench}, in order. */
    private static List<String> values(List<KernelCase> cases, Bench bench, String param) {
        Set<String> set = new LinkedHashSet<>();
        cases.forEach(c -> set.add(bench.params(c).get(param)));
        return new ArrayList<>(set);
    }

    /** Distinct values of a parameter that is not the registry's (e.g. threads) over a benchmark's results. */
    private static List<String> values(List<Run> runs, String benchmark, String param) {
        Set<String> set = new LinkedHashSet<>();
        runs.forEach(r -> r.results().stream().filter(x -> x.benchmark().equals(benchmark))
                .map(x -> x.param(param)).forEach(set::add));
        return new ArrayList<>(set);
    }

    /**
     * Results of the registry's benchmarks at parameters that are no case of the registry (e.g. a hand-run
     * {@code -p length=100}): named, so nothing measured disappears from the report without a word.
     */
    private static void unlisted(Markdown doc, List<Run> runs, KernelCases registry) {
        List<List<String>> rows = new ArrayList<>();
        for (Bench bench : List.of(Bench.DOT, Bench.FC, Bench.PEERS, Bench.LAYER, Bench.SMALL_LAYER, Bench.XNNPACK,
                Bench.GEMM_FLOOR)) {
            List<Map<String, String>> listed = registry.measuredBy(bench).stream().map(bench::params).toList();
            for (Run run : runs) {
                for (Run.Result r : run.results()) {
                    if (r.benchmark().equals(bench.benchmark()) && listed.stream().noneMatch(p -> matches(r, bench, p))) {
                        rows.add(List.of(text(run.label()), text(r.benchmark() + "." + r.method()),
                                text(r.params().toString()), f(r.medianNs())));
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        doc.heading(2, "Results outside the registry");
        doc.paragraph("Measured at parameters that are no case of `kernel-cases.txt`, so in no table above.");
        doc.table(List.of("run", "benchmark", "params", "median ns/op"), rows);
    }

    private static List<String> methods(List<Run> runs, String benchmark) {
        Set<String> set = new LinkedHashSet<>();
        runs.forEach(r -> r.results().stream().filter(x -> x.benchmark().equals(benchmark))
                .map(Run.Result::method).forEach(set::add));
        return new ArrayList<>(set);
    }

    private static double gmacs(Optional<Run.Result> r, long macs) {
        return r.map(x -> macs / x.medianNs()).orElse(Double.NaN);
    }

    private static void dot(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        if (cases.isEmpty()) {
            return;
        }
        List<String> lengths = cases.stream().map(KernelCase::shapeText).toList();
        List<String> methods = methods(runs, DOT);
        doc.heading(2, "int8 dot product");
        doc.paragraph("`qlanes` is `TensorUtils.dotProduct` (vector kernels), `lucene` is Lucene's "
                + "`VectorUtil.dotProduct(byte[], byte[])` on its Panama path, `nativeAnchor` a C kernel with several "
                + "accumulators, compiled on the machine (`-O3 -march=native`, the widest path its CPU and compiler "
                + "support) and called through the FFM API — here: " + text(nativeAnchors(runs)) + " — and `reference` "
                + "the scalar loop. Cells: median ns/op (GMAC/s, higher is better).");
        List<String> header = new ArrayList<>(List.of("case", "length"));
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Run run : runs) {
            for (String m : methods) {
                header.add(text(label(runs, run, m) + " ns (GMAC/s)"));
                series.put(label(runs, run, m), new double[lengths.size()]);
            }
            header.add(text(label(runs, run, "qlanes/lucene")));
            header.add(text(label(runs, run, "qlanes/native")));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            KernelCase c = cases.get(i);
            List<String> row = new ArrayList<>(List.of(text(c.id()), text(c.shapeText())));
            for (Run run : runs) {
                Map<String, Double> byMethod = new LinkedHashMap<>();
                for (String m : methods) {
                    Optional<Run.Result> r = run.find(DOT, m, Bench.DOT.params(c));
                    double g = gmacs(r, c.shape().macs());
                    byMethod.put(m, g);
                    row.add(f(r.map(Run.Result::medianNs).orElse(Double.NaN)) + " (" + f(g) + ")");
                    series.get(label(runs, run, m))[i] = g;
                }
                row.add(f(byMethod.getOrDefault("qlanes", Double.NaN) / byMethod.getOrDefault("lucene", Double.NaN)));
                row.add(f(byMethod.getOrDefault("qlanes", Double.NaN)
                        / byMethod.getOrDefault("nativeAnchor", Double.NaN)));
            }
            rows.add(row);
        }
        doc.table(header, rows);
        chart(doc, "dot-product", SvgCharts.lineChart("int8 dot product", "length", "GMAC/s", lengths, series));
    }

    /** A chart named {@code name}: {@code name.svg} beside the Markdown. */
    private static void chart(Markdown doc, String name, String svg) {
        doc.chart(name, name + ".svg", svg);
    }

    private static String label(List<Run> runs, Run run, String name) {
        return runs.size() == 1 ? name : run.label() + ": " + name;
    }

    private static void fullyConnected(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        if (cases.isEmpty()) {
            return;
        }
        List<String> paths = values(cases, Bench.FC, "path");
        doc.heading(2, "Fully connected: hybrid vs full-integer vs float");
        doc.paragraph("One layer per operation: `batch` activation vectors times a `rows × cols` int8 matrix. "
                + "HYBRID = float input, symmetric per-row quantization, per-tensor weight scale; HYBRID_ASYMMETRIC = "
                + "asymmetric quantization (zero points, cached row sums) and per-channel scales; FULL_INTEGER = int8 "
                + "in, int32 bias, fixed-point requantization, int8 out; FLOAT = float MBVMA in sequential column "
                + "order (bit-exact with the reference). Cells: qlanes median µs/op (GMAC/s, speed-up over the scalar "
                + "reference); the case ids are in `kernel-cases.txt`.");
        // layer (rows×cols) → batch shape → path → case, in registry order
        Map<String, Map<String, Map<String, KernelCase>>> byLayer = new LinkedHashMap<>();
        for (KernelCase c : cases) {
            byLayer.computeIfAbsent(c.shape().rows() + "×" + c.shape().cols(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(c.shapeText(), k -> new LinkedHashMap<>())
                    .put(Bench.FC.params(c).get("path"), c);
        }
        for (Map.Entry<String, Map<String, Map<String, KernelCase>>> layer : byLayer.entrySet()) {
            doc.heading(3, "Layer " + layer.getKey());
            List<String> header = new ArrayList<>(List.of("batch"));
            for (Run run : runs) {
                for (String p : paths) {
                    header.add(text(label(runs, run, p)));
                }
            }
            List<List<String>> rows = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            Map<String, double[]> series = new LinkedHashMap<>();
            List<String> layerShapes = new ArrayList<>(layer.getValue().keySet());
            for (int i = 0; i < layerShapes.size(); i++) {
                Map<String, KernelCase> byPath = layer.getValue().get(layerShapes.get(i));
                Shape shape = byPath.values().iterator().next().shape();
                groups.add("batch " + shape.batch());
                List<String> row = new ArrayList<>(List.of(Integer.toString(shape.batch())));
                for (Run run : runs) {
                    for (String p : paths) {
                        KernelCase c = byPath.get(p);
                        Map<String, String> params = c == null ? Map.of("shape", "", "path", p) : Bench.FC.params(c);
                        Optional<Run.Result> q = run.find(FC, "qlanes", params);
                        double g = gmacs(q, shape.macs());
                        double ref = gmacs(run.find(FC, "reference", params), shape.macs());
                        row.add(f(q.map(x -> x.medianNs() / 1e3).orElse(Double.NaN)) + " µs (" + f(g) + ", "
                                + f(g / ref) + "×)");
                        series.computeIfAbsent(label(runs, run, p), k -> new double[layerShapes.size()])[i] = g;
                    }
                }
                rows.add(row);
            }
            doc.table(header, rows);
            chart(doc, "fc-" + layer.getKey().replace("×", "x"), SvgCharts.barChart("Layer " + layer.getKey()
                    + ": qlanes GMAC/s by path", "batch", "GMAC/s", groups, series));
        }
    }

    private static void peers(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        List<String> shapes = values(cases, Bench.PEERS, "gemvShape");
        if (shapes.isEmpty()) {
            return;
        }
        List<String> methods = methods(runs, PEERS);
        doc.heading(2, "GEMV against peers and the native anchor");
        doc.paragraph("int8 matrix × int8 vectors. `qlanesFullInteger` includes bias and requantization to int8; "
                + "`qlanesHybrid` includes asymmetric input quantization and the float epilogue; `luceneRowByRow`, "
                + "`nativeAnchor` and `onnxMatMulInteger*` produce the int32 accumulators only. ONNX Runtime on AVX2 "
                + "without VNNI: s8s8 runs a portable fallback (exact, slow); u8u8 (inputs shifted by 128, exact) is "
                + "its fast exact path; `onnxDynamicQuantizeMatMul` (hybrid) is **not exact**: its u8s8 kernel "
                + "saturates for full-range weights (max error ~0.6 on outputs of size ~1). Cells: median µs/op (GMAC/s).");
        List<String> header = new ArrayList<>(List.of("shape"));
        for (Run run : runs) {
            methods.forEach(m -> header.add(text(label(runs, run, m))));
            header.add(text(label(runs, run, "qlanes/native")));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String s : shapes) {
            long macs = Shape.parse(s).macs();
            List<String> row = new ArrayList<>(List.of(text(s)));
            for (Run run : runs) {
                for (String m : methods) {
                    Optional<Run.Result> r = run.find(PEERS, m, Map.of("gemvShape", s));
                    row.add(f(r.map(x -> x.medianNs() / 1e3).orElse(Double.NaN)) + " µs (" + f(gmacs(r, macs)) + ")");
                }
                row.add(f(gmacs(run.find(PEERS, "qlanesFullInteger", Map.of("gemvShape", s)), macs)
                        / gmacs(run.find(PEERS, "nativeAnchor", Map.of("gemvShape", s)), macs)));
            }
            rows.add(row);
        }
        doc.table(header, rows);
    }

    /** One column of the GEMM section: a benchmark method, measured at the section's shapes. */
    private record GemmColumn(Bench bench, String method) {}

    /**
     * The GEMM section's columns: qlanes' layers, XNNPACK's operators, ONNX Runtime and the native anchor (exact
     * int32 GEMMs, no epilogue), then the floors and the float-lane kernel of {@code GemmFloorBenchmark}, and the
     * int16 floors of {@code WideningFloorBenchmark}, which also run at batch 1.
     */
    private static final List<GemmColumn> GEMM_COLUMNS = List.of(
            new GemmColumn(Bench.XNNPACK, "qlanesFullInteger"), new GemmColumn(Bench.XNNPACK, "qlanesHybrid"),
            new GemmColumn(Bench.XNNPACK, "xnnpackQs8"), new GemmColumn(Bench.XNNPACK, "xnnpackF32"),
            new GemmColumn(Bench.PEERS, "onnxMatMulIntegerU8U8"), new GemmColumn(Bench.PEERS, "nativeAnchor"),
            new GemmColumn(Bench.GEMM_FLOOR, "int16Floor"), new GemmColumn(Bench.GEMM_FLOOR, "floatLaneGemm"),
            new GemmColumn(Bench.GEMM_FLOOR, "fmaFloor"), new GemmColumn(Bench.FLOOR, "gemvFloor"),
            new GemmColumn(Bench.FLOOR, "gemvFoldFloor"));

    /**
     * qlanes' layers against XNNPACK (TFLite's CPU backend), ONNX Runtime and the native anchor per batch and layer
     * size, with the floors of {@code GemmFloorBenchmark}: a table of medians with the same-run ratios, and one GMAC/s
     * chart per layer size. A column nobody measured in these runs is left out.
     */
    private static void gemm(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        if (cases.isEmpty()) {
            return;
        }
        doc.heading(2, "GEMM against XNNPACK and ONNX Runtime");
        doc.paragraph("Single thread. `qlanesFullInteger` is the int8 layer (int32 bias, requantization, int8 out), "
                + "`qlanesHybrid` the hybrid layer (float in, per-row quantization, float out), both bit-exact with "
                + "TFLite's reference; `xnnpackQs8` and `xnnpackF32` are XNNPACK's fully-connected operators (Debian's "
                + "libxnnpack0 through FFM), whose outputs differ from TFLite's reference (qs8: float requantization, "
                + "ties to even; see docs/performance.md). `onnxMatMulIntegerU8U8` (ONNX Runtime) and `nativeAnchor` "
                + "(C, compiled here) compute the exact int32 products only, without bias or requantization. The "
                + "floors are not kernels: `int16Floor` is qlanes' loop without the step that makes it exact, "
                + "`fmaFloor` the same number of vector FMAs on registers alone; no kernel summing in 16-bit or float "
                + "lanes on this JDK can beat them. `gemvFloor` is the same loop as `int16Floor`, measured at batch 1 "
                + "too; `gemvFoldFloor` adds the least any exact fold of its 16-bit sums into int32 adds (a shift and "
                + "an add per vector), so XNNPACK over it bounds what qlanes can reach. `floatLaneGemm` is an exact "
                + "int8 GEMM summing in float lanes. Cells: median µs/op (GMAC/s); the ratios are the peer's time over "
                + "qlanes' (above 1: qlanes faster), and XNNPACK's over the fold floor.");
        List<GemmColumn> columns = GEMM_COLUMNS.stream().filter(col -> runs.stream().anyMatch(run -> run.results()
                .stream().anyMatch(r -> r.benchmark().equals(col.bench().benchmark())
                        && r.method().equals(col.method())))).toList();
        Map<String, List<KernelCase>> byLayer = new LinkedHashMap<>();
        for (KernelCase c : cases) {
            byLayer.computeIfAbsent(c.shape().rows() + "×" + c.shape().cols(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<KernelCase>> layer : byLayer.entrySet()) {
            doc.heading(3, "Layer " + layer.getKey());
            List<String> header = new ArrayList<>(List.of("batch"));
            for (Run run : runs) {
                columns.forEach(col -> header.add(text(label(runs, run, col.method()))));
                header.add(text(label(runs, run, "qs8 / full-integer")));
                header.add(text(label(runs, run, "qs8 / hybrid")));
                header.add(text(label(runs, run, "ONNX u8u8 / full-integer")));
                header.add(text(label(runs, run, "qs8 / fold floor")));
            }
            List<List<String>> rows = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            Map<String, double[]> series = new LinkedHashMap<>();
            List<KernelCase> shapes = layer.getValue();
            for (int i = 0; i < shapes.size(); i++) {
                KernelCase c = shapes.get(i);
                long macs = c.shape().macs();
                groups.add("batch " + c.shape().batch());
                List<String> row = new ArrayList<>(List.of(Integer.toString(c.shape().batch())));
                for (Run run : runs) {
                    Map<String, Double> ns = new LinkedHashMap<>();
                    for (GemmColumn col : columns) {
                        Optional<Run.Result> r = run.find(col.bench().benchmark(), col.method(), col.bench().params(c));
                        ns.put(col.method(), r.map(Run.Result::medianNs).orElse(Double.NaN));
                        row.add(r.isEmpty() ? "–" : f(ns.get(col.method()) / 1e3) + " µs (" + f(gmacs(r, macs)) + ")");
                        series.computeIfAbsent(label(runs, run, col.method()), k -> new double[shapes.size()])[i] =
                                gmacs(r, macs);
                    }
                    double fullInteger = ns.getOrDefault("qlanesFullInteger", Double.NaN);
                    row.add(f(ns.getOrDefault("xnnpackQs8", Double.NaN) / fullInteger));
                    row.add(f(ns.getOrDefault("xnnpackQs8", Double.NaN) / ns.getOrDefault("qlanesHybrid", Double.NaN)));
                    row.add(f(ns.getOrDefault("onnxMatMulIntegerU8U8", Double.NaN) / fullInteger));
                    row.add(f(ns.getOrDefault("xnnpackQs8", Double.NaN) / ns.getOrDefault("gemvFoldFloor", Double.NaN)));
                }
                rows.add(row);
            }
            doc.table(header, rows);
            chart(doc, "gemm-" + layer.getKey().replace("×", "x"), SvgCharts.barChart("Layer " + layer.getKey()
                    + ": GMAC/s, qlanes vs XNNPACK, ONNX Runtime, the native anchor and the floors", "batch", "GMAC/s",
                    groups, series));
        }
    }

    private static void layers(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        List<String> shapes = values(cases, Bench.LAYER, "layerShape");
        if (shapes.isEmpty()) {
            return;
        }
        List<String> sources = values(runs, LAYERS, "source");
        List<String> threads = values(runs, LAYERS, "threads");
        doc.heading(2, "Layer API: weight sources and threads");
        doc.paragraph("`HybridFullyConnected` (asymmetric inputs, per-channel scales) and `QuantizedFullyConnected` "
                + "with weights on the heap, in native memory and memory-mapped, on 1 and 2 threads. GMAC/s.");
        List<String> header = new ArrayList<>(List.of("shape", "weights"));
        for (Run run : runs) {
            for (String method : List.of("hybridLayer", "quantizedLayer")) {
                threads.forEach(t -> header.add(text(label(runs, run, method + " ×" + t))));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String shape : shapes) {
            long macs = Shape.parse(shape).macs();
            for (String source : sources) {
                List<String> row = new ArrayList<>(List.of(text(shape), text(source)));
                for (Run run : runs) {
                    for (String method : List.of("hybridLayer", "quantizedLayer")) {
                        threads.forEach(t -> row.add(f(gmacs(run.find(LAYERS, method,
                                Map.of("layerShape", shape, "source", source, "threads", t)), macs))));
                    }
                }
                rows.add(row);
            }
        }
        doc.table(header, rows);
    }

    private static void allocation(Markdown doc, List<Run> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (Run run : runs) {
            for (Run.Result r : run.results()) {
                if (!Double.isNaN(r.allocBytesPerOp()) && r.method().startsWith("qlanes")) {
                    rows.add(List.of(text(run.label()), text(r.benchmark() + "." + r.method()),
                            text(r.params().toString()), f(r.allocBytesPerOp())));
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        doc.heading(2, "Allocation per call (qlanes facade)");
        doc.paragraph("`gc.alloc.rate.norm` from JMH's GC profiler, bytes per operation.");
        doc.table(List.of("run", "benchmark", "params", "B/op"), rows);
    }
}
