package dev.qlanes.jmh.accuracy;

import dev.qlanes.jmh.markdown.Markdown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.jr.ob.JSON;

/**
 * Renders an {@link AccuracyResult} as Markdown (the HTML page is derived from it), CSV and JSON (jackson-jr): setup,
 * conclusion, summary, the two charts with their numbers as tables, and every measurement.
 */
final class ReportRenderer {
    private ReportRenderer() {}

    /** The command that regenerates the report from a checkout (see the README). */
    static final String REGENERATE = "./mvnw -q -B package -DskipTests -pl jmh -am && "
            + "\"$(scripts/find-jdk.sh)/bin/java\" --add-modules jdk.incubator.vector "
            + "-cp jmh/target/benchmarks.jar dev.qlanes.jmh.accuracy.AccuracyReport target/accuracy";

    private static final String TITLE = "Accuracy: float vs hybrid vs full-integer int8";
    private static final String DOCUMENT_TITLE = "qlanes accuracy report";
    /** The standalone page's style (the benchmark report has its own). */
    private static final String CSS = "\n"
            + "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}\n"
            + "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}\n"
            + "th,td{border:1px solid #ccc;padding:0.25em 0.5em;text-align:right}\n"
            + "th:first-child,td:first-child{text-align:left}\n"
            + "pre{background:#f4f4f4;padding:0.6em;overflow-x:auto}\n";
    private static final List<String> SUMMARY_HEADER = List.of("path", "mean SNR (dB)", "worst SNR (dB)",
            "median rel. RMS error", "worst cosine", "largest max abs error", "clipped outputs (mean)",
            "output-grid bound (dB)");
    private static final List<String> DETAIL_HEADER = List.of("input size", "weights", "inputs", "path",
            "max abs error", "rel. RMS error", "SNR (dB)", "cosine", "clipped", "grid bound (dB)");

    // ---------------------------------------------------------------- Markdown, and HTML derived from it

    /** The report as a section: a level-2 heading, then {@link #body}. */
    static Markdown section(AccuracyResult r, String chartBase) {
        return new Markdown().heading(2, TITLE).append(body(r, chartBase));
    }

    /** The complete report: a level-1 heading, then {@link #body} with the charts beside it. */
    static Markdown document(AccuracyResult r) {
        return new Markdown().heading(1, DOCUMENT_TITLE).append(body(r, ""));
    }

    /** Setup, conclusion, summary, the two charts with their numbers as tables, and every measurement. */
    private static Markdown body(AccuracyResult r, String chartBase) {
        Map<String, String> charts = r.charts();
        Markdown md = new Markdown().paragraph(setup(r)).paragraph("Regenerate with:").code("sh", REGENERATE);
        md.heading(3, "Conclusion");
        r.conclusion().forEach(md::paragraph);
        md.heading(3, "Summary over all layers").table(SUMMARY_HEADER, summaryRows(r));
        md.heading(3, "SNR vs layer size")
                .chart("SNR vs layer size", chartBase + AccuracyResult.SIZE_CHART, charts.get(AccuracyResult.SIZE_CHART))
                .paragraph(sizeCaption(r)).table(sizeHeader(r), sizeRows(r));
        md.heading(3, "SNR vs data distribution")
                .chart("SNR vs data distribution", chartBase + AccuracyResult.DISTRIBUTION_CHART,
                        charts.get(AccuracyResult.DISTRIBUTION_CHART))
                .paragraph(distributionCaption()).table(distributionHeader(r), distributionRows(r));
        return md.heading(3, "All measurements").table(DETAIL_HEADER, detailRows(r));
    }

    static String htmlDocument(AccuracyResult r) {
        return document(r).html(DOCUMENT_TITLE, CSS);
    }

    // ---------------------------------------------------------------- shared content

    private static String setup(AccuracyResult r) {
        AccuracyConfig c = r.config();
        return f("Each layer has %d output channels and input size %s. Weights: %s, each row scaled by "
                + "exp(%.2f·N(0,1)) so that row scales differ widely; inputs: %s, each row with its own amplitude. "
                + "Full-integer ranges (S1, Z1, S3, Z3) are calibrated on %d separate rows; all paths are measured "
                + "on %d evaluation rows against the same layer computed in double precision. Seed %d; %s; "
                + "run time %.1f s.",
                c.units(), c.inputSizes().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                c.weightDistributions().stream().map(WeightDistribution::label).collect(Collectors.joining(" or ")),
                c.rowScaleSpread(),
                c.inputDistributions().stream().map(InputDistribution::label).collect(Collectors.joining(" or ")),
                c.calibrationBatch(), c.evaluationBatch(), c.seed(), Markdown.text(r.kernelInfo()), r.elapsedMillis() / 1000.0);
    }

    private static List<List<String>> summaryRows(AccuracyResult r) {
        List<List<String>> rows = new ArrayList<>();
        for (AccuracyPath p : AccuracyPath.values()) {
            rows.add(List.of(p.label(), db(r.meanSnrDb(p)), db(r.minSnrDb(p)), pct(r.medianRelRmsError(p)),
                    cos(r.minCosine(p)), num(r.maxAbsError(p)), pct(r.meanClippedFraction(p)),
                    db(r.meanGridSnrDb(p))));
        }
        return rows;
    }

    private static String sizeCaption(AccuracyResult r) {
        return f("Mean SNR over the distributions, per input size. float32 (mean %s dB) is left out: it would "
                + "squash the scale.", db(r.meanSnrDb(AccuracyPath.FLOAT32)));
    }

    private static String distributionCaption() {
        return "Mean SNR over the layer sizes, per pair of weight and input distribution.";
    }

    private static List<String> sizeHeader(AccuracyResult r) {
        List<String> h = new ArrayList<>(List.of("path \\ input size"));
        r.config().inputSizes().forEach(n -> h.add(String.valueOf(n)));
        return h;
    }

    private static List<List<String>> sizeRows(AccuracyResult r) {
        List<List<String>> rows = new ArrayList<>();
        for (AccuracyPath p : AccuracyPath.values()) {
            List<String> row = new ArrayList<>(List.of(p.shortLabel()));
            r.config().inputSizes().forEach(n -> row.add(db(r.meanSnrDb(p, m -> m.inputSize() == n))));
            rows.add(row);
        }
        return rows;
    }

    private static List<String> distributionHeader(AccuracyResult r) {
        List<String> h = new ArrayList<>(List.of("path \\ weights, inputs"));
        r.distributionPairs().forEach(e -> h.add(e.getKey().label() + ", " + e.getValue().label()));
        return h;
    }

    private static List<List<String>> distributionRows(AccuracyResult r) {
        List<List<String>> rows = new ArrayList<>();
        for (AccuracyPath p : AccuracyPath.values()) {
            List<String> row = new ArrayList<>(List.of(p.shortLabel()));
            r.distributionPairs().forEach(e -> row.add(db(r.meanSnrDb(p, m -> m.is(e.getKey(), e.getValue())))));
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> detailRows(AccuracyResult r) {
        List<List<String>> rows = new ArrayList<>();
        for (Measurement m : r.measurements()) {
            Metrics x = m.metrics();
            rows.add(List.of(String.valueOf(m.inputSize()), m.weightDistribution().label(),
                    m.inputDistribution().label(), m.path().shortLabel(), num(x.maxAbsError()), pct(x.relRmsError()),
                    db(x.snrDb()), cos(x.cosine()), pct(m.clippedFraction()), db(m.gridSnrDb())));
        }
        return rows;
    }

    // ---------------------------------------------------------------- CSV and JSON

    static String csv(AccuracyResult r) {
        StringBuilder s = new StringBuilder("input_size,units,weights,inputs,path,max_abs_error,rel_rms_error,"
                + "snr_db,cosine,clipped_fraction,grid_snr_db\n");
        for (Measurement m : r.measurements()) {
            Metrics x = m.metrics();
            s.append(m.inputSize()).append(',').append(m.units()).append(',').append(m.weightDistribution().name())
                    .append(',').append(m.inputDistribution().name()).append(',').append(m.path().name()).append(',')
                    .append(x.maxAbsError()).append(',').append(x.relRmsError()).append(',').append(x.snrDb())
                    .append(',').append(x.cosine()).append(',').append(m.clippedFraction()).append(',')
                    .append(m.gridSnrDb()).append('\n');
        }
        return s.toString();
    }

    static String json(AccuracyResult r) {
        AccuracyConfig c = r.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("inputSizes", c.inputSizes());
        config.put("units", c.units());
        config.put("calibrationBatch", c.calibrationBatch());
        config.put("evaluationBatch", c.evaluationBatch());
        config.put("rowScaleSpread", jsonNumber(c.rowScaleSpread()));
        config.put("seed", c.seed());
        List<Map<String, Object>> measurements = new ArrayList<>();
        for (Measurement m : r.measurements()) {
            Metrics x = m.metrics();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("inputSize", m.inputSize());
            o.put("units", m.units());
            o.put("weights", m.weightDistribution().name());
            o.put("inputs", m.inputDistribution().name());
            o.put("path", m.path().name());
            o.put("maxAbsError", jsonNumber(x.maxAbsError()));
            o.put("relRmsError", jsonNumber(x.relRmsError()));
            o.put("snrDb", jsonNumber(x.snrDb()));
            o.put("cosine", jsonNumber(x.cosine()));
            o.put("clippedFraction", jsonNumber(m.clippedFraction()));
            o.put("gridSnrDb", jsonNumber(m.gridSnrDb()));
            measurements.add(o);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        root.put("kernelInfo", r.kernelInfo());
        root.put("elapsedMillis", r.elapsedMillis());
        root.put("measurements", measurements);
        return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES).asString(root)
                + "\n";
    }

    /** JSON has no NaN or infinity: those become {@code null}. */
    private static Double jsonNumber(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // ---------------------------------------------------------------- number formats

    private static String db(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Double.isInfinite(v) ? (v > 0 ? "+∞" : "−∞") : f("%.1f", v);
    }

    private static String pct(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double p = 100 * v;
        return p != 0 && p < 0.01 ? f("%.1e %%", p) : f("%.3f %%", p);
    }

    private static String cos(double v) {
        return Double.isNaN(v) ? "–" : f("%.6f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : f("%.3g", v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
