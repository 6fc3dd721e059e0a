package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ratio table reads JMH's medians (not its means) and divides XNNPACK's time by qlanes' within one file. */
class XnnpackRatioTableTest {

    private static String result(String method, String shape, double mean, double median, String unit) {
        return """
                {"benchmark": "dev.qlanes.jmh.XnnpackGemmBenchmark.%s", "params": {"fcShape": "%s"},
                 "primaryMetric": {"score": %s, "scoreUnit": "%s", "scorePercentiles": {"0.0": 1.0, "50.0": %s}}}
                """.formatted(method, shape, mean, unit, median);
    }

    @Test
    void mediansPerShapeAndRatiosOfXnnpackOverQlanes() throws IOException {
        String json = "[" + String.join(",",
                result("qlanesFullInteger", "16x64x64", 999, 200, "us/op"),
                result("qlanesHybrid", "16x64x64", 999, 250, "us/op"),
                result("xnnpackQs8", "16x64x64", 999, 100, "us/op"),
                result("xnnpackF32", "16x64x64", 999, 500, "us/op"),
                result("qlanesHybrid", "1x64x64", 999, 10, "us/op"),
                "{\"benchmark\": \"dev.qlanes.jmh.PeerGemvBenchmark.qlanesHybrid\", \"params\": {},"
                        + " \"primaryMetric\": {\"score\": 1, \"scoreUnit\": \"us/op\"}}") + "]";
        Map<String, Map<String, Double>> medians = XnnpackRatioTable.medians(json);
        assertEquals(Map.of("16x64x64", Map.of("qlanesFullInteger", 200.0, "qlanesHybrid", 250.0, "xnnpackQs8", 100.0,
                "xnnpackF32", 500.0), "1x64x64", Map.of("qlanesHybrid", 10.0)), medians);
        assertEquals("| 16x64x64 | run | 200.0 | 250.0 | 100.0 | 500.0 | 0.50 | 0.40 | 2.00 |",
                XnnpackRatioTable.row("16x64x64", "run", medians.get("16x64x64")));
        assertEquals("| 1x64x64 | run | – | 10.0 | – | – | – | – | – |",
                XnnpackRatioTable.row("1x64x64", "run", medians.get("1x64x64")));
    }

    @Test
    void otherUnitsAreRefused() {
        String json = "[" + result("xnnpackQs8", "1x8x8", 1, 1, "ns/op") + "]";
        assertThrows(IllegalArgumentException.class, () -> XnnpackRatioTable.medians(json));
    }
}
