package dev.qlanes.jmh.report;

import static dev.qlanes.jmh.markdown.Markdown.text;

import dev.qlanes.jmh.Shape;
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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns one or more runs (e.g. an AVX2, an AVX-512 and a NEON machine) into the benchmark report: machines,
 * int8 dot products against peers, the fully-connected paths across batch and layer sizes, the GEMV peers and
 * the native anchor, and allocation per call. Numbers are JMH medians; throughput is GMAC/s, i.e. int8 (or
 * float) multiply-adds per nanosecond; ratios compare medians from the same run.
 */
final class PerformanceReport {
    private PerformanceReport() {}

    private static final String DOT = "DotProductBenchmark";
    private static final String FC = "FullyConnectedBenchmark";
    private static final String PEERS = "PeerGemvBenchmark";
    private static final String LAYERS = "LayerBenchmark";

    static Markdown build(List<Run> runs) {
        Markdown doc = new Markdown();
        doc.heading(1, "qlanes benchmark report");
        doc.paragraph("JMH medians (average time per operation) and throughput in GMAC/s (10^9 multiply-adds per "
                + "second). Ratios are between medians of the same run. Every measured implementation's output was "
                + "checked against the scalar reference before timing (bit for bit for qlanes). The hybrid paths' "
                + "times **include the on-the-fly quantization of the float input**.");
        machines(doc, runs);
        dot(doc, runs);
        fullyConnected(doc, runs);
        peers(doc, runs);
        layers(doc, runs);
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

    /** Distinct values of a parameter over a benchmark's results, in first-seen order. */
    private static List<String> values(List<Run> runs, String benchmark, String param,
            Function<String, Boolean> keep) {
        Set<String> set = new LinkedHashSet<>();
        runs.forEach(r -> r.results().stream().filter(x -> x.benchmark().equals(benchmark))
                .map(x -> x.param(param)).filter(keep::apply).forEach(set::add));
        return new ArrayList<>(set);
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

    private static void dot(Markdown doc, List<Run> runs) {
        List<String> lengths = values(runs, DOT, "length", s -> true);
        if (lengths.isEmpty()) {
            return;
        }
        lengths.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        List<String> methods = methods(runs, DOT);
        doc.heading(2, "int8 dot product");
        doc.paragraph("`qlanes` is `TensorUtils.dotProduct` (vector kernels), `lucene` is Lucene's "
                + "`VectorUtil.dotProduct(byte[], byte[])` on its Panama path, `nativeAnchor` a C kernel with several "
                + "accumulators, compiled on the machine (`-O3 -march=native`, the widest path its CPU and compiler "
                + "support) and called through the FFM API — here: " + text(nativeAnchors(runs)) + " — and `reference` "
                + "the scalar loop. Cells: median ns/op (GMAC/s, higher is better).");
        List<String> header = new ArrayList<>(List.of("length"));
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
        for (int i = 0; i < lengths.size(); i++) {
            String n = lengths.get(i);
            List<String> row = new ArrayList<>(List.of(text(n)));
            for (Run run : runs) {
                Map<String, Double> byMethod = new LinkedHashMap<>();
                for (String m : methods) {
                    Optional<Run.Result> r = run.find(DOT, m, Map.of("length", n));
                    double g = gmacs(r, Long.parseLong(n));
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

    private static void fullyConnected(Markdown doc, List<Run> runs) {
        List<String> shapes = values(runs, FC, "shape", s -> true);
        if (shapes.isEmpty()) {
            return;
        }
        List<String> paths = values(runs, FC, "path", s -> true);
        doc.heading(2, "Fully connected: hybrid vs full-integer vs float");
        doc.paragraph("One layer per operation: `batch` activation vectors times a `rows × cols` int8 matrix. "
                + "HYBRID = float input, symmetric per-row quantization, per-tensor weight scale; HYBRID_ASYMMETRIC = "
                + "asymmetric quantization (zero points, cached row sums) and per-channel scales; FULL_INTEGER = int8 "
                + "in, int32 bias, fixed-point requantization, int8 out; FLOAT = float MBVMA in sequential column "
                + "order (bit-exact with the reference). Cells: qlanes median µs/op (GMAC/s, speed-up over the scalar "
                + "reference).");
        Map<String, List<String>> byLayer = new LinkedHashMap<>();
        for (String s : shapes) {
            Shape shape = Shape.parse(s);
            byLayer.computeIfAbsent(shape.rows() + "×" + shape.cols(), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<String>> layer : byLayer.entrySet()) {
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
            List<String> layerShapes = layer.getValue();
            for (int i = 0; i < layerShapes.size(); i++) {
                Shape shape = Shape.parse(layerShapes.get(i));
                groups.add("batch " + shape.batch());
                List<String> row = new ArrayList<>(List.of(Integer.toString(shape.batch())));
                for (Run run : runs) {
                    for (String p : paths) {
                        Map<String, String> params = Map.of("shape", layerShapes.get(i), "path", p);
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

    private static void peers(Markdown doc, List<Run> runs) {
        List<String> shapes = values(runs, PEERS, "gemvShape", s -> true);
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

    private static void layers(Markdown doc, List<Run> runs) {
        List<String> shapes = values(runs, LAYERS, "layerShape", s -> true);
        if (shapes.isEmpty()) {
            return;
        }
        List<String> sources = values(runs, LAYERS, "source", s -> true);
        List<String> threads = values(runs, LAYERS, "threads", s -> true);
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
