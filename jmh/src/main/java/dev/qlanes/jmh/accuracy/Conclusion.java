package dev.qlanes.jmh.accuracy;

import static dev.qlanes.jmh.accuracy.AccuracyPath.FLOAT32;
import static dev.qlanes.jmh.accuracy.AccuracyPath.HYBRID_ASYMMETRIC_PER_CHANNEL;
import static dev.qlanes.jmh.accuracy.AccuracyPath.HYBRID_ASYMMETRIC_PER_TENSOR;
import static dev.qlanes.jmh.accuracy.AccuracyPath.HYBRID_SYMMETRIC_PER_CHANNEL;
import static dev.qlanes.jmh.accuracy.AccuracyPath.HYBRID_SYMMETRIC_PER_TENSOR;
import static dev.qlanes.jmh.accuracy.AccuracyPath.INT8_PER_CHANNEL;
import static dev.qlanes.jmh.accuracy.AccuracyPath.INT8_PER_TENSOR;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The plain-language conclusion. Every number in it is read from the {@link AccuracyResult}, and the
 * wording of comparisons ("gains", "loses", "barely changes") follows their sign and size, so the text
 * stays true if the data or the kernels change. Sentences whose numbers are missing (a configuration
 * without some distribution) are left out.
 */
final class Conclusion {
    private Conclusion() {}

    /** Differences smaller than this many dB are described as "about the same". */
    private static final double NEGLIGIBLE_DB = 1.0;
    /** 20·log10(2): one bit of precision in dB. */
    private static final double DB_PER_BIT = 6.02;

    static List<String> paragraphs(AccuracyResult r) {
        List<String> out = new ArrayList<>();
        out.add(whyHybridIsCloseToFloat(r));
        out.add(whatFullIntegerCosts(r));
        String choices = whatMatters(r);
        if (!choices.isEmpty()) {
            out.add(choices);
        }
        out.add(whenToChooseWhich(r));
        return out;
    }

    private static String whyHybridIsCloseToFloat(AccuracyResult r) {
        AccuracyPath best = Stream.of(HYBRID_SYMMETRIC_PER_TENSOR, HYBRID_SYMMETRIC_PER_CHANNEL,
                HYBRID_ASYMMETRIC_PER_TENSOR, HYBRID_ASYMMETRIC_PER_CHANNEL)
                .max(Comparator.comparingDouble(r::meanSnrDb)).orElseThrow();
        return f("Why hybrid stays close to float. The best hybrid variant here (%s) averages %.1f dB SNR against "
                + "the double-precision float result (median relative RMS error %.2f %%, cosine similarity at "
                + "least %.6f on every layer); float32 itself averages %.1f dB. Hybrid rounds in only two places: "
                + "the weights, once, offline, and each input row, on the fly, with a scale S1 (and zero point Z1) "
                + "taken from that row's own range. The int32 accumulator Σ q2·(q1 − Z1) is exact, and one float "
                + "multiplication by S1·S2 turns it straight back into a real value, to which the float bias is "
                + "added. The output is never stored as int8, so there is no output scale S3 and no zero point Z3: "
                + "nothing has to be calibrated, and no output can fall outside a range chosen in advance.",
                best.label(), r.meanSnrDb(best), 100 * r.medianRelRmsError(best), r.minCosine(best),
                r.meanSnrDb(FLOAT32));
    }

    private static String whatFullIntegerCosts(AccuracyResult r) {
        double integer = r.meanSnrDb(INT8_PER_CHANNEL);
        double hybrid = r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL);
        double gap = hybrid - integer;
        String comparison = Math.abs(gap) < NEGLIGIBLE_DB
                ? f("about the same as hybrid with the same weights and asymmetric inputs (%.1f dB)", hybrid)
                : f("%.1f dB %s hybrid with the same weights and asymmetric inputs (%.1f dB), roughly %.1f bits "
                        + "of output precision", Math.abs(gap), gap > 0 ? "below" : "above", hybrid,
                        Math.abs(gap) / DB_PER_BIT);
        return f("What full-integer costs. Full-integer int8 with per-channel weights averages %.1f dB, %s. "
                + "It rounds in two more places: the output is requantized with M = S1·S2/S3 onto the 256 levels "
                + "S3·(q3 − Z3), which by itself caps these layers at about %.1f dB on average, and the input uses "
                + "one range fixed at calibration instead of each row's own. Both ranges were calibrated on a "
                + "separate batch, so evaluation values outside them are clipped: %.2f %% of outputs on average, "
                + "%.2f %% on the worst layer. In exchange, every operation is integer, including the output, "
                + "which can feed the next int8 layer directly.",
                integer, comparison, r.meanGridSnrDb(INT8_PER_CHANNEL), 100 * r.meanClippedFraction(INT8_PER_CHANNEL),
                100 * Math.max(r.maxClippedFraction(INT8_PER_CHANNEL), r.maxClippedFraction(INT8_PER_TENSOR)));
    }

    private static String whatMatters(AccuracyResult r) {
        List<String> sentences = new ArrayList<>();
        double pcHybrid = mean(r.meanSnrDb(HYBRID_SYMMETRIC_PER_CHANNEL) - r.meanSnrDb(HYBRID_SYMMETRIC_PER_TENSOR),
                r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL) - r.meanSnrDb(HYBRID_ASYMMETRIC_PER_TENSOR));
        double pcInteger = r.meanSnrDb(INT8_PER_CHANNEL) - r.meanSnrDb(INT8_PER_TENSOR);
        sentences.add(f("Per-channel weight scales %s for hybrid and %s for full-integer on these weights, whose "
                + "row scales vary widely: with one scale per tensor the largest row sets the step for every row.",
                change(pcHybrid, false), change(pcInteger, false)));

        Predicate<Measurement> relu = m -> m.inputDistribution() == InputDistribution.RELU;
        Predicate<Measurement> outliers = m -> m.inputDistribution() == InputDistribution.OUTLIERS;
        double asymRelu = asymmetricGain(r, relu);
        double asymSigned = asymmetricGain(r, outliers);
        if (Double.isFinite(asymRelu)) {
            String s = f("With per-channel weights, asymmetric input quantization %s on ReLU inputs, whose "
                    + "symmetric grid leaves its negative half unused", change(asymRelu, true));
            sentences.add(Double.isFinite(asymSigned)
                    ? s + f(", and %s on signed inputs.", change(asymSigned, true)) : s + ".");
        }
        double hybridOutliers = r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL, outliers)
                - r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL, relu);
        double integerOutliers = r.meanSnrDb(INT8_PER_CHANNEL, outliers) - r.meanSnrDb(INT8_PER_CHANNEL, relu);
        if (Double.isFinite(hybridOutliers) && Double.isFinite(integerOutliers)) {
            sentences.add(f("Compared with ReLU inputs, outlier-laden inputs make hybrid %s and full-integer %s: "
                    + "a few large values set the 8-bit range and leave fewer levels for the rest.",
                    change(hybridOutliers, false), change(integerOutliers, false)));
        }
        List<Integer> sizes = r.config().inputSizes();
        if (sizes.size() > 1) {
            int first = sizes.get(0);
            int last = sizes.get(sizes.size() - 1);
            double h0 = r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL, m -> m.inputSize() == first);
            double h1 = r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL, m -> m.inputSize() == last);
            double i0 = r.meanSnrDb(INT8_PER_CHANNEL, m -> m.inputSize() == first);
            double i1 = r.meanSnrDb(INT8_PER_CHANNEL, m -> m.inputSize() == last);
            String trend = Math.abs(h1 - h0) < 3 && Math.abs(i1 - i0) < 3
                    ? "The layer size matters little: rounding noise and signal both grow like √n, so their ratio stays put"
                    : "Larger layers have more chances of an extreme weight or input, which widens the 8-bit step for "
                            + "everything else";
            sentences.add(f("%s (hybrid asym/pc %.1f dB at n = %d, %.1f dB at n = %d; int8 pc %.1f → %.1f dB).",
                    trend, h0, first, h1, last, i0, i1));
        }
        return String.join(" ", sentences);
    }

    private static String whenToChooseWhich(AccuracyResult r) {
        return f("When to choose which. Choose hybrid when the layer runs on a CPU inside a float model, when no "
                + "representative calibration data is at hand, or when the output must stay as close to float as "
                + "8-bit weights allow (here hybrid asym/pc is %s int8 pc): its weights are 4× "
                + "smaller than float32 and its dot products are int8, at the price of quantizing each input row "
                + "at run time and passing float activations between layers. Choose full-integer when the target "
                + "only does integer arithmetic (NPUs, DSPs, microcontrollers) or when consecutive int8 layers let "
                + "activations stay 8-bit end to end; then calibrate on data that contains the real outliers. In "
                + "both cases prefer per-channel weights (almost free at run time) and, for non-negative "
                + "activations, asymmetric inputs.",
                ahead(r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL) - r.meanSnrDb(INT8_PER_CHANNEL)));
    }

    /**
     * Asymmetric minus symmetric input quantization, with per-channel weights: with per-tensor weights the
     * weight rounding dominates and hides what the input grid does.
     */
    private static double asymmetricGain(AccuracyResult r, Predicate<Measurement> filter) {
        return r.meanSnrDb(HYBRID_ASYMMETRIC_PER_CHANNEL, filter) - r.meanSnrDb(HYBRID_SYMMETRIC_PER_CHANNEL, filter);
    }

    /**
     * A signed SNR difference in words: "gain 6.1 dB", "lose 2.0 dB" or "change little (+0.3 dB)", with the
     * verb's third-person "s" when the subject is {@code singular}.
     */
    static String change(double db, boolean singular) {
        String s = singular ? "s" : "";
        if (!Double.isFinite(db)) {
            return "(not measured)";
        }
        if (Math.abs(db) < NEGLIGIBLE_DB) {
            return f("change%s little (%+.1f dB)", s, db);
        }
        return f("%s%s %.1f dB", db > 0 ? "gain" : "lose", s, Math.abs(db));
    }

    /** "11.0 dB ahead of", "2.0 dB behind" or "about level with" (SNR difference {@code db}). */
    private static String ahead(double db) {
        if (Math.abs(db) < NEGLIGIBLE_DB) {
            return "about level with";
        }
        return f("%.1f dB %s", Math.abs(db), db > 0 ? "ahead of" : "behind");
    }

    private static double mean(double a, double b) {
        return 0.5 * (a + b);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
