package dev.qlanes.jmh.report;

import static dev.qlanes.jmh.markdown.Markdown.text;

import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.markdown.Markdown;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Small layers at batch 1 ({@code SmallLayerBenchmark}): each layer's time beside the exact dot products of the same
 * weights alone, and the per-call overhead, {@code (layer - dots) / layer}: what a call costs beyond the work no
 * implementation can skip (for the int8 layer the faster of {@code dotProducts} and its own {@code int8RowDots});
 * beside it, the least overhead a hybrid call can have ({@code hybridFloor}; its input work alone,
 * {@code hybridInputFloor}) and an int8 call on the general path ({@code quantizedOutputFloor}), and the int8 layer
 * less its call ({@code quantizedExactStage}).
 */
final class SmallLayerSection {
    private SmallLayerSection() {}

    static void append(Markdown doc, List<Run> runs, List<KernelCase> cases) {
        Set<String> shapes = new LinkedHashSet<>();
        cases.forEach(c -> shapes.add(c.shapeText()));
        if (shapes.isEmpty()) {
            return;
        }
        String bench = Bench.SMALL_LAYER.benchmark();
        doc.heading(2, "Small layers at batch 1");
        doc.paragraph("The layer shapes of MLPerf Tiny's ToyCar autoencoder (batch × units × inputs), heap weights, "
                + "one thread. `dotProducts` is the layers' exact int8 dot products of the same weights and a "
                + "pre-widened input, and nothing else; `int8RowDots` is the dot products as the int8 layer computes "
                + "them at batch 1 (its single-row kernel's, from the int8 row, for layers of a few outputs; elsewhere "
                + "`dotProducts` again). Overhead is the share of a layer's median time beyond its dot products (the "
                + "int8 layer's: the faster of the two): input quantization, widening, bias and output stage, "
                + "validation, workspace. "
                + "`hybridInputFloor` is less input work than any exact hybrid call does (min/max, the row's scale and "
                + "zero point, one multiply-add and conversion per value, no rounding rule); `hybridFloor` is less than "
                + "any exact hybrid call does in all (that input work, the dot products, then one conversion and one "
                + "multiply by the weight's scale per output: no zero-point term, bias, checks or workspace); the "
                + "hybrid floor overhead, `(floor - dots) / floor`, is the least overhead a hybrid layer can have. "
                + "`quantizedOutputFloor` is less than the int8 layer's general path does (the input widened, the dot "
                + "products, "
                + "then per output the folded bias, its channel's 64-bit multiply, TFLite's first rounding (ties up, "
                + "at bit 31), a second rounding at the channel's shift that rounds ties up where TFLite's rounds them "
                + "away from zero, zero point, clamp and narrowing: no left shift, checks or workspace); the int8 "
                + "floor overhead, `(floor - dots) / floor`, is the least overhead the general path can have; a layer "
                + "with a single-row kernel skips the widening and the array of dot products and may beat it. "
                + "`quantizedExactStage` is the int8 layer less its call (its single-row kernel, or the input widened, "
                + "the dot products and the layers' exact output stage; bit for bit the layer's output, with no "
                + "checks, workspace or dispatch); the exact stage overhead, `(stage - dots) / stage` with the int8 "
                + "layer's dots, is the output stage's share, and the rest of the int8 overhead is the call's. Median "
                + "ns per call.");
        List<String> header = new ArrayList<>(List.of("shape"));
        for (Run run : runs) {
            for (String column : List.of("hybridLayer", "quantizedLayer", "dotProducts", "int8RowDots", "hybridInputFloor",
                    "hybridFloor", "quantizedOutputFloor", "quantizedExactStage", "hybrid overhead", "hybrid floor overhead",
                    "int8 overhead", "int8 floor overhead", "exact stage overhead")) {
                header.add(text(runs.size() > 1 ? run.label() + ": " + column : column));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String shape : shapes) {
            List<String> row = new ArrayList<>(List.of(shape));
            for (Run run : runs) {
                double hybrid = ns(run, bench, "hybridLayer", shape);
                double quantized = ns(run, bench, "quantizedLayer", shape);
                double dots = ns(run, bench, "dotProducts", shape);
                double rowDots = ns(run, bench, "int8RowDots", shape);
                double int8Dots = Double.isNaN(rowDots) ? dots : Math.min(dots, rowDots);
                double inputFloor = ns(run, bench, "hybridInputFloor", shape);
                double hybridFloor = ns(run, bench, "hybridFloor", shape);
                double outputFloor = ns(run, bench, "quantizedOutputFloor", shape);
                double exactStage = ns(run, bench, "quantizedExactStage", shape);
                row.add(f(hybrid));
                row.add(f(quantized));
                row.add(f(dots));
                row.add(f(rowDots));
                row.add(f(inputFloor));
                row.add(f(hybridFloor));
                row.add(f(outputFloor));
                row.add(f(exactStage));
                row.add(percent((hybrid - dots) / hybrid));
                row.add(percent((hybridFloor - dots) / hybridFloor));
                row.add(percent((quantized - int8Dots) / quantized));
                row.add(percent((outputFloor - dots) / outputFloor));
                row.add(percent((exactStage - int8Dots) / exactStage));
            }
            rows.add(row);
        }
        doc.table(header, rows);
    }

    private static double ns(Run run, String bench, String method, String shape) {
        Optional<Run.Result> r = run.find(bench, method, Map.of("smallShape", shape));
        return r.map(Run.Result::medianNs).orElse(Double.NaN);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
