package dev.qlanes.jmh.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.jr.ob.JSON;

/**
 * The report end to end on a small configuration: structure, outputs and the orderings that hold by
 * construction (float32 is far better than any 8-bit path), not the random numbers themselves.
 */
class AccuracyReportTest {

    private static final AccuracyConfig SMALL = AccuracyConfig.standard().withInputSizes(List.of(64, 128))
            .withShape(32, 16, 16);
    private static AccuracyResult result;

    @BeforeAll
    static void runOnce() {
        result = AccuracyReport.run(SMALL);
    }

    @Test
    void measuresEveryPathOnEveryLayer() {
        int layers = 2 * WeightDistribution.values().length * InputDistribution.values().length;
        assertEquals(layers * AccuracyPath.values().length, result.measurements().size());
        for (AccuracyPath p : AccuracyPath.values()) {
            assertEquals(layers, result.of(p, m -> true).size(), p.name());
        }
    }

    @Test
    void float32IsFarMoreAccurateThanEveryQuantizedPathOnEveryLayer() {
        for (Measurement f : result.of(AccuracyPath.FLOAT32, m -> true)) {
            assertTrue(f.metrics().snrDb() > 100, f.toString());
            for (AccuracyPath p : AccuracyResult.quantizedPaths()) {
                Measurement q = result.of(p, m -> m.inputSize() == f.inputSize()
                        && m.is(f.weightDistribution(), f.inputDistribution())).get(0);
                assertTrue(q.metrics().snrDb() < f.metrics().snrDb() - 40, q.toString());
            }
        }
    }

    @Test
    void onlyFullIntegerRowsCarryCalibrationColumns() {
        for (Measurement m : result.measurements()) {
            boolean integer = m.path().family() == AccuracyPath.Family.FULL_INTEGER;
            assertEquals(integer, Double.isFinite(m.clippedFraction()), m.toString());
            assertEquals(integer, Double.isFinite(m.gridSnrDb()), m.toString());
        }
    }

    @Test
    void sameSeedSameNumbers() {
        assertEquals(result.measurements(), AccuracyReport.run(SMALL).measurements());
    }

    @Test
    void markdownHasConclusionTablesAndChartLinks() {
        String md = result.markdownSection("charts/");
        assertTrue(md.startsWith("## "));
        assertTrue(md.contains("### Conclusion"));
        assertTrue(md.contains("](charts/" + AccuracyResult.SIZE_CHART + ")"));
        assertTrue(md.contains("](charts/" + AccuracyResult.DISTRIBUTION_CHART + ")"));
        for (AccuracyPath p : AccuracyPath.values()) {
            assertTrue(md.contains(p.label()), p.label());
        }
        assertEquals(4, result.conclusion().size());
        for (String paragraph : result.conclusion()) {
            assertTrue(md.contains(paragraph));
            assertFalse(paragraph.contains("NaN") || paragraph.contains("not measured"), paragraph);
        }
    }

    @Test
    void htmlIsSelfContainedWithWellFormedInlineCharts() throws Exception {
        String html = result.htmlDocument();
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href="),
                "no external resources");
        assertEquals(2, html.split("<svg ", -1).length - 1);
        for (Map.Entry<String, String> chart : result.charts().entrySet()) {
            assertTrue(html.contains(chart.getValue()), chart.getKey());
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(chart.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(html.contains("<h1>qlanes accuracy report</h1>"), "the HTML is rendered from the Markdown");
        assertEquals(4, html.split("<table>", -1).length - 1, "every Markdown table is an HTML table");
    }

    @Test
    void csvAndJsonHoldEveryMeasurement() {
        String[] csv = result.csv().split("\n");
        assertEquals(1 + result.measurements().size(), csv.length);
        assertEquals(11, csv[0].split(",").length);
        String json = result.json();
        assertFalse(json.contains("NaN") || json.contains("Infinity"), "JSON has no NaN or Infinity literals");
        List<?> measurements = (List<?>) JSON.std.mapFrom(json).get("measurements");
        assertEquals(result.measurements().size(), measurements.size());
        Map<?, ?> hybrid = (Map<?, ?>) measurements.get(1); // finite SNR
        assertEquals(result.measurements().get(1).path().name(), hybrid.get("path"));
        assertEquals(result.measurements().get(1).metrics().snrDb(), ((Number) hybrid.get("snrDb")).doubleValue());
    }

    @Test
    void writesAllFiles(@TempDir Path dir) throws Exception {
        List<Path> files = AccuracyReport.write(result, dir.resolve("out"));
        assertEquals(6, files.size());
        for (Path f : files) {
            assertTrue(Files.size(f) > 100, f.toString());
        }
        assertTrue(Files.readString(dir.resolve("out/accuracy.md")).startsWith("# qlanes accuracy report"));
    }

    @Test
    void changeWording() {
        assertEquals("gain 6.1 dB", Conclusion.change(6.07, false));
        assertEquals("loses 2.0 dB", Conclusion.change(-2.0, true));
        assertEquals("change little (+0.3 dB)", Conclusion.change(0.3, false));
    }
}
