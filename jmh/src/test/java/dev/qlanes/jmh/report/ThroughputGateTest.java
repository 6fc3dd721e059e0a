package dev.qlanes.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The gate's ratios come from the run's medians, and a ratio fails only when it falls past the margin. */
class ThroughputGateTest {

    private static Run.Result result(String benchmark, String method, Map<String, String> params, double ns) {
        return new Run.Result(benchmark, method, params, ns, Double.NaN, Double.NaN);
    }

    private static Run gateRun() {
        List<Run.Result> results = new ArrayList<>();
        for (String n : List.of("1024", "4096")) {
            results.add(result("DotProductBenchmark", "qlanes", Map.of("length", n), 10));
            results.add(result("DotProductBenchmark", "reference", Map.of("length", n), 80));
            results.add(result("DotProductBenchmark", "lucene", Map.of("length", n), 15));
        }
        for (String shape : List.of("1x1024x1024", "16x1024x1024", "64x1024x1024")) {
            for (String path : List.of("HYBRID_ASYMMETRIC", "FULL_INTEGER")) {
                Map<String, String> p = Map.of("shape", shape, "path", path);
                results.add(result("FullyConnectedBenchmark", "qlanes", p, 100));
                results.add(result("FullyConnectedBenchmark", "reference", p, 500));
            }
            Map<String, String> p = Map.of("shape", shape, "path", "FLOAT");
            results.add(result("FullyConnectedBenchmark", "qlanes", p, 200));
            results.add(result("FullyConnectedBenchmark", "reference", p, 900));
        }
        return new Run("gate", Map.of(), results);
    }

    @Test
    void ratiosAreSlowMedianOverFastMedian() throws Exception {
        Map<String, Double> ratios = ThroughputGate.ratios(gateRun(), KernelCases.registry());
        assertEquals(13, ratios.size(), "ratios: " + ratios);
        assertEquals(8.0, ratios.get("qs8-dot-1024.qlanes/reference"));
        assertEquals(1.5, ratios.get("qs8-dot-4096.qlanes/lucene"));
        assertEquals(5.0, ratios.get("qs8-fc-int8out-gemm-16x1024x1024.qlanes/reference"));
        assertEquals(5.0, ratios.get("f32-qs8w-fc-hybrid_asym-gemv-1x1024x1024.qlanes/reference"));
        assertEquals(5.0, ratios.get("qs8-fc-int8out-gemm-64x1024x1024.qlanes/reference"));
        assertEquals(4.5, ratios.get("f32-fc-seq-gemv-1x1024x1024.qlanes/reference"));
        assertEquals(4.5, ratios.get("f32-fc-seq-gemm-64x1024x1024.qlanes/reference"));
    }

    @Test
    void everyGatedCaseHasABaselineAndEveryBaselineAGatedCase() throws Exception {
        Set<String> gated = new TreeSet<>();
        for (KernelCase c : KernelCases.registry().gated()) {
            c.gate().forEach(g -> gated.add(c.gateKey(g)));
        }
        assertEquals(gated, new TreeSet<>(ThroughputGate.loadBaseline().keySet()),
                "gate= ratios in kernel-cases.txt vs keys of gate-baseline.properties");
    }

    @Test
    void aWidthEntryStandsForItsIdAtThatWidthOnly() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("a", "10.0");
        p.setProperty("a@256", "6.0");
        p.setProperty("b", "3.0");
        p.setProperty("b@512", "4.0");
        assertEquals(Map.of("a", 6.0, "b", 3.0), ThroughputGate.baselineFor(p, 256));
        assertEquals(Map.of("a", 10.0, "b", 4.0), ThroughputGate.baselineFor(p, 512));
        assertEquals(Map.of("a", 10.0, "b", 3.0), ThroughputGate.baselineFor(p, 128));
    }

    @Test
    void everyWidthEntryNamesAGatedRatioAndAWidth() throws Exception {
        Set<String> gated = new TreeSet<>();
        for (KernelCase c : KernelCases.registry().gated()) {
            c.gate().forEach(g -> gated.add(c.gateKey(g)));
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = ThroughputGate.class.getResourceAsStream("/gate-baseline.properties")) {
            p.load(in);
        }
        for (String k : p.stringPropertyNames()) {
            String[] parts = k.split("@", -1);
            assertTrue(gated.contains(parts[0]), k + ": not a gated ratio");
            assertTrue(parts.length == 1 || (parts.length == 2 && Set.of("128", "256", "512").contains(parts[1])),
                    k + ": expected ID or ID@128|256|512");
        }
    }

    @Test
    void aMissingResultIsNaNAndFails() {
        Map<String, Double> ratios = ThroughputGate.ratios(new Run("empty", Map.of(), List.of()),
                KernelCases.registry());
        assertTrue(ratios.values().stream().allMatch(r -> r.isNaN()), ratios.toString());
        assertEquals(1, ThroughputGate.check(ratios, Map.of(ratios.keySet().iterator().next(), 1.0)));
    }

    @Test
    void failsOnlyPastTheMargin() {
        Map<String, Double> baseline = Map.of("a", 10.0, "b", 10.0);
        assertEquals(0, ThroughputGate.check(Map.of("a", 7.1, "b", 12.0), baseline));
        assertEquals(1, ThroughputGate.check(Map.of("a", 6.9, "b", 12.0), baseline));
        assertEquals(0, ThroughputGate.check(Map.of("new", 1.0), baseline), "a ratio without baseline passes");
    }

    @Test
    void aRatioBelowItsMinimumIsMeasuredAgainAndTheSecondValueDecides() {
        Map<String, Double> baseline = Map.of("a", 10.0, "b", 10.0, "c", 10.0);
        Map<String, Double> first = Map.of("a", 6.0, "b", 12.0, "c", 5.0);
        List<Set<String>> asked = new ArrayList<>();
        assertEquals(0, ThroughputGate.confirm(first, baseline, keys -> {
            asked.add(keys);
            return Map.of("a", 9.0, "c", 7.5);
        }), "a noisy first measurement that the second contradicts passes");
        assertEquals(List.of(Set.of("a", "c")), asked, "only the ratios below their minimum are measured again");
        assertEquals(1, ThroughputGate.confirm(first, baseline, keys -> Map.of("a", 9.0, "c", 6.5)),
                "a regression that shows in both measurements fails");
        assertEquals(1, ThroughputGate.confirm(first, baseline, keys -> Map.of("a", 9.0)),
                "a ratio missing from the second measurement fails");
    }

    @Test
    void ratiosThatHoldAreNotMeasuredAgain() {
        assertEquals(0, ThroughputGate.confirm(Map.of("a", 7.1), Map.of("a", 10.0), keys -> {
            throw new AssertionError("measured again: " + keys);
        }));
    }

    @Test
    void moreRatiosBelowTheirMinimumThanAreMeasuredAgainFailAtOnce() {
        Map<String, Double> baseline = new HashMap<>();
        Map<String, Double> first = new HashMap<>();
        for (int k = 0; k <= ThroughputGate.MAX_CONFIRMED; k++) {
            baseline.put("r" + k, 10.0);
            first.put("r" + k, 1.0);
        }
        assertEquals(1, ThroughputGate.confirm(first, baseline, keys -> {
            throw new AssertionError("measured again: " + keys);
        }));
    }
}
