package dev.qlanes.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.jmh.nativeanchor.NativeAnchor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report says which code path the native anchor ran on each machine, as that machine recorded it, instead of
 * one fixed description (it used to say "AVX2 madd" for every run, also on AVX-512 and ARM machines).
 */
class PerformanceReportTest {

    private static Run run(String label, Map<String, String> machine) {
        List<Run.Result> results = List.of(
                new Run.Result("DotProductBenchmark", "qlanes", Map.of("length", "1024"), 50, 1, Double.NaN),
                new Run.Result("DotProductBenchmark", "nativeAnchor", Map.of("length", "1024"), 40, 1, Double.NaN));
        return new Run(label, machine, results);
    }

    @Test
    void theDotProductSectionNamesThePathTheMachineRan() {
        String md = PerformanceReport.build(List.of(run("arm", Map.of("nativeAnchor",
                "portable C (compiler auto-vectorization)")))).markdown();
        assertTrue(md.contains("here: portable C (compiler auto-vectorization)"), md);
        assertFalse(md.contains("madd"), "no fixed AVX2 description: " + md);
    }

    @Test
    void severalRunsNameEachPathAndOldRunsSayItWasNotRecorded() {
        String md = PerformanceReport.build(List.of(
                run("server", Map.of("nativeAnchor", "avx512bw+avx512vnni: vpmovsxbw + vpdpwssd, 512-bit")),
                run("old", Map.of()))).markdown();
        assertTrue(md.contains("server: avx512bw+avx512vnni: vpmovsxbw + vpdpwssd, 512-bit; old: not recorded"), md);
        assertTrue(md.contains("| native anchor |"), "Machines table column: " + md);
    }

    @Test
    void labelsAndMachineFieldsFromOtherMachinesAreTextNotMarkup() {
        String html = PerformanceReport.build(List.of(run("lab <A> & B|C", Map.of("cpu", "*fast* <cpu>"))))
                .html("t", "");
        assertTrue(html.contains("<td>lab &lt;A&gt; &amp; B|C</td><td>*fast* &lt;cpu&gt;</td>")
                || html.contains("<td>lab &lt;A&gt; &amp; B|C</td>\n<td>*fast* &lt;cpu&gt;</td>"), html);
        assertTrue(html.contains("<svg"), "the dot-product chart is inline: " + html);
    }

    @Test
    void rowsAreTheRegistrysCasesAndOtherResultsAreNamedApart() {
        List<Run.Result> results = List.of(
                new Run.Result("DotProductBenchmark", "qlanes", Map.of("length", "4096"), 50, 1, Double.NaN),
                new Run.Result("DotProductBenchmark", "qlanes", Map.of("length", "100"), 5, 1, Double.NaN),
                new Run.Result("FullyConnectedBenchmark", "qlanes",
                        Map.of("shape", "16x1024x1024", "path", "FULL_INTEGER"), 2000, 1, Double.NaN));
        String md = PerformanceReport.build(List.of(new Run("here", Map.of(), results))).markdown();
        assertTrue(md.contains("| qs8-dot-4096 | 4096 | 50.0 (81.9) |"), md);
        assertFalse(md.contains("| qs8-dot-100 "), md);
        assertTrue(md.contains("## Results outside the registry"), md);
        assertTrue(md.contains("| here | DotProductBenchmark.qlanes | {length=100} | 5.00 |"), md);
        assertTrue(md.contains("### Layer 1024×1024"), md);
        assertTrue(md.contains("| batch | FULL_INTEGER |\n|---|---|\n| 16 | 2.00 µs (8389, –×) |"),
                "one column per measured path, no reference: a dash: " + md);
    }

    /**
     * The GEMM section: one row per measured registry shape, columns from four benchmarks (unmeasured ones left
     * out), the peers' times over qlanes' and XNNPACK's over the fold floor as the ratio columns.
     */
    @Test
    void theGemmSectionRatesThePeersAgainstBothLayers() {
        Map<String, String> shape = Map.of("fcShape", "64x1024x1024");
        List<Run.Result> results = List.of(
                new Run.Result("XnnpackGemmBenchmark", "qlanesFullInteger", shape, 2_000_000, 1, Double.NaN),
                new Run.Result("XnnpackGemmBenchmark", "qlanesHybrid", shape, 4_000_000, 1, Double.NaN),
                new Run.Result("XnnpackGemmBenchmark", "xnnpackQs8", shape, 1_000_000, 1, Double.NaN),
                new Run.Result("XnnpackGemmBenchmark", "xnnpackF32", shape, 3_000_000, 1, Double.NaN),
                new Run.Result("PeerGemvBenchmark", "onnxMatMulIntegerU8U8", Map.of("gemvShape", "64x1024x1024"),
                        1_500_000, 1, Double.NaN),
                new Run.Result("GemmFloorBenchmark", "fmaFloor", Map.of("gemmShape", "64x1024x1024"), 500_000, 1,
                        Double.NaN),
                new Run.Result("WideningFloorBenchmark", "gemvFoldFloor", Map.of("gemvShape", "64x1024x1024"),
                        1_250_000, 1, Double.NaN));
        String md = PerformanceReport.build(List.of(new Run("here", Map.of(), results))).markdown();
        assertTrue(md.contains("## GEMM against XNNPACK and ONNX Runtime"), md);
        assertTrue(md.contains("| batch | qlanesFullInteger | qlanesHybrid | xnnpackQs8 | xnnpackF32 | "
                + "onnxMatMulIntegerU8U8 | fmaFloor | gemvFoldFloor | qs8 / full-integer | qs8 / hybrid | "
                + "ONNX u8u8 / full-integer | qs8 / fold floor |"),
                "unmeasured columns (the anchor, int16Floor, floatLaneGemm, gemvFloor) are left out: " + md);
        assertTrue(md.contains("| 64 | 2000 µs (33.6) | 4000 µs (16.8) | 1000 µs (67.1) | 3000 µs (22.4) | "
                + "1500 µs (44.7) | 500 µs (134) | 1250 µs (53.7) | 0.50 | 0.25 | 0.75 | 0.80 |"), md);
        assertFalse(md.contains("## Results outside the registry"), "registry shapes: " + md);
    }

    /**
     * Small layers: each layer beside the dot products alone, the overhead as the share of the layer's time, and the
     * two floors' and the exact stage's overheads as their shares beyond the dots.
     */
    @Test
    void theSmallLayerSectionSharesOutTheOverhead() {
        Map<String, String> shape = Map.of("smallShape", "1x8x128");
        List<Run.Result> results = List.of(
                new Run.Result("SmallLayerBenchmark", "hybridLayer", shape, 200, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "quantizedLayer", shape, 100, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "dotProducts", shape, 50, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "int8RowDots", shape, 40, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "hybridInputFloor", shape, 25, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "hybridFloor", shape, 90, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "quantizedOutputFloor", shape, 64, 1, Double.NaN),
                new Run.Result("SmallLayerBenchmark", "quantizedExactStage", shape, 80, 1, Double.NaN));
        String md = PerformanceReport.build(List.of(new Run("here", Map.of(), results))).markdown();
        assertTrue(md.contains("## Small layers at batch 1"), md);
        // hybrid (200 - 50) / 200; hybrid floor (90 - 50) / 90; int8 (100 - 40) / 100 over the faster dots; int8
        // floor (64 - 50) / 64 over the general path's; exact stage (80 - 40) / 80
        assertTrue(md.contains(
                "| 1x8x128 | 200 | 100 | 50.0 | 40.0 | 25.0 | 90.0 | 64.0 | 80.0 | 75% | 44% | 60% | 22% | 50% |"), md);
        assertFalse(md.contains("## Results outside the registry"), "a registry shape: " + md);
    }

    @Test
    void theFingerprintRecordsWhatTheAnchorCompiledToHere() {
        Map<String, String> machine = Fingerprint.collect("here");
        assertEquals(NativeAnchor.available() ? NativeAnchor.isa()
                : "unavailable: " + NativeAnchor.unavailableReason(), machine.get("nativeAnchor"));
        assertEquals(NativeAnchor.compilerDescription(), machine.get("nativeAnchorBuild"));
    }
}
