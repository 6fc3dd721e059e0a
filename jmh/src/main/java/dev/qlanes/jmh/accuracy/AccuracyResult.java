package dev.qlanes.jmh.accuracy;

import dev.qlanes.jmh.markdown.Markdown;
import dev.qlanes.jmh.svg.SvgCharts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The numbers of one report run and everything rendered from them. The renderings are pure functions of
 * the measurements, so a caller can embed {@link #section(String)} in a larger report.
 *
 * @param kernelInfo    which qlanes kernels ran ({@code Kernels.info()}); they are bit-exact either way
 * @param elapsedMillis wall time of the run
 */
public record AccuracyResult(AccuracyConfig config, List<Measurement> measurements, String kernelInfo,
        long elapsedMillis) {

    /** File name of the SNR-vs-layer-size chart in {@link #charts()}. */
    public static final String SIZE_CHART = "accuracy-snr-vs-size.svg";
    /** File name of the SNR-vs-distribution chart in {@link #charts()}. */
    public static final String DISTRIBUTION_CHART = "accuracy-snr-vs-distribution.svg";

    public AccuracyResult {
        measurements = List.copyOf(measurements);
    }

    /** The measurements of one path that match {@code filter}. */
    public List<Measurement> of(AccuracyPath path, Predicate<Measurement> filter) {
        return measurements.stream().filter(m -> m.path() == path && filter.test(m)).toList();
    }

    /** Mean SNR in dB of a path over all layers, i.e. the geometric mean of the signal-to-noise ratios. */
    public double meanSnrDb(AccuracyPath path) {
        return meanSnrDb(path, m -> true);
    }

    /** Mean SNR in dB of a path over the layers matching {@code filter}; NaN if none match. */
    public double meanSnrDb(AccuracyPath path, Predicate<Measurement> filter) {
        return of(path, filter).stream().mapToDouble(m -> m.metrics().snrDb()).average().orElse(Double.NaN);
    }

    /** The worst (lowest) SNR in dB of a path over all layers. */
    public double minSnrDb(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(m -> m.metrics().snrDb()).min().orElse(Double.NaN);
    }

    /** The worst (lowest) cosine similarity of a path over all layers. */
    public double minCosine(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(m -> m.metrics().cosine()).min().orElse(Double.NaN);
    }

    /** The largest max-abs error of a path over all layers. */
    public double maxAbsError(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(m -> m.metrics().maxAbsError()).max().orElse(Double.NaN);
    }

    /** The median relative RMS error of a path over all layers. */
    public double medianRelRmsError(AccuracyPath path) {
        double[] v = of(path, m -> true).stream().mapToDouble(m -> m.metrics().relRmsError()).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    /** Mean share of clipped outputs (full-integer paths; NaN for the others). */
    public double meanClippedFraction(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(Measurement::clippedFraction).average().orElse(Double.NaN);
    }

    /** Largest share of clipped outputs on any one layer (full-integer paths; NaN for the others). */
    public double maxClippedFraction(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(Measurement::clippedFraction).max().orElse(Double.NaN);
    }

    /** Mean output-grid SNR bound (full-integer paths; NaN for the others). */
    public double meanGridSnrDb(AccuracyPath path) {
        return of(path, m -> true).stream().mapToDouble(Measurement::gridSnrDb).average().orElse(Double.NaN);
    }

    /** The quantized paths, i.e. everything the charts show (float32 would squash their scale). */
    public static List<AccuracyPath> quantizedPaths() {
        return Arrays.stream(AccuracyPath.values()).filter(p -> p != AccuracyPath.FLOAT32).toList();
    }

    /** The (weights, inputs) pairs measured, in report order. */
    public List<Map.Entry<WeightDistribution, InputDistribution>> distributionPairs() {
        List<Map.Entry<WeightDistribution, InputDistribution>> pairs = new ArrayList<>();
        for (WeightDistribution w : config.weightDistributions()) {
            for (InputDistribution in : config.inputDistributions()) {
                pairs.add(Map.entry(w, in));
            }
        }
        return pairs;
    }

    /** The two charts as SVG documents, keyed by file name ({@link #SIZE_CHART}, {@link #DISTRIBUTION_CHART}). */
    public Map<String, String> charts() {
        List<Integer> sizes = config.inputSizes();
        Map<String, double[]> bySize = new LinkedHashMap<>();
        for (AccuracyPath p : quantizedPaths()) {
            bySize.put(p.shortLabel(), sizes.stream().mapToDouble(n -> meanSnrDb(p, m -> m.inputSize() == n)).toArray());
        }
        List<Map.Entry<WeightDistribution, InputDistribution>> pairs = distributionPairs();
        Map<String, double[]> byDistribution = new LinkedHashMap<>();
        for (AccuracyPath p : quantizedPaths()) {
            byDistribution.put(p.shortLabel(),
                    pairs.stream().mapToDouble(e -> meanSnrDb(p, m -> m.is(e.getKey(), e.getValue()))).toArray());
        }
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put(SIZE_CHART, SvgCharts.lineChart("SNR vs layer input size (mean over distributions)",
                "input size (dot-product length)", "SNR vs float, dB (higher is better)",
                sizes.stream().map(String::valueOf).toList(), bySize));
        charts.put(DISTRIBUTION_CHART, SvgCharts.barChart("SNR vs data distribution (mean over layer sizes)",
                "weights (upper line), inputs (lower line)", "SNR vs float, dB (higher is better)",
                pairs.stream().map(e -> e.getKey().label() + "\n" + e.getValue().label()).toList(), byDistribution));
        return charts;
    }

    /** The plain-language conclusion, one string per paragraph, generated from the numbers. */
    public List<String> conclusion() {
        return Conclusion.paragraphs(this);
    }

    /**
     * The report as a Markdown section (level-2 heading) whose images point to {@code chartBase + file name}; its
     * HTML, with the charts inline, is {@code section(chartBase).html(...)}, or append it to a larger report.
     */
    public Markdown section(String chartBase) {
        return ReportRenderer.section(this, chartBase);
    }

    /** The Markdown text of {@link #section(String)}. */
    public String markdownSection(String chartBase) {
        return section(chartBase).markdown();
    }

    /** {@link #markdownSection(String)} with the charts beside the Markdown file. */
    public String markdownSection() {
        return markdownSection("");
    }

    /** A complete Markdown document (charts beside it). */
    public String markdownDocument() {
        return ReportRenderer.document(this).markdown();
    }

    /** A complete, self-contained HTML document. */
    public String htmlDocument() {
        return ReportRenderer.htmlDocument(this);
    }

    /** All measurements as CSV, one row per (layer, path). */
    public String csv() {
        return ReportRenderer.csv(this);
    }

    /** All measurements and the run's parameters as JSON; non-finite numbers are written as {@code null}. */
    public String json() {
        return ReportRenderer.json(this);
    }

    /** A few lines for the console: mean SNR per path and the run time. */
    public String summaryText() {
        StringBuilder s = new StringBuilder();
        for (AccuracyPath p : AccuracyPath.values()) {
            s.append(String.format(java.util.Locale.ROOT, "%-48s mean SNR %6.1f dB, worst cosine %.6f%n", p.label(),
                    meanSnrDb(p), minCosine(p)));
        }
        return s.append(measurements.size()).append(" measurements in ").append(elapsedMillis).append(" ms; ")
                .append(kernelInfo).toString();
    }
}
