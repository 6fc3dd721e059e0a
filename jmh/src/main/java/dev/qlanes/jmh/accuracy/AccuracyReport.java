package dev.qlanes.jmh.accuracy;

import dev.qlanes.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The accuracy report: runs the same fully-connected layers through float, hybrid and full-integer int8
 * and measures each against the double-precision float result. See {@code docs/accuracy.md}.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar \
 *        dev.qlanes.jmh.accuracy.AccuracyReport [outdir]      (default target/accuracy)
 * </pre>
 * writes {@code accuracy.md}, {@code accuracy.html} (self-contained), {@code accuracy.csv},
 * {@code accuracy.json} and the two charts as {@code .svg}. To embed it in another report, call
 * {@link #run(AccuracyConfig)} and append {@link AccuracyResult#section(String)} to the other report's Markdown.
 */
public final class AccuracyReport {
    private AccuracyReport() {}

    /** Where {@link #main} writes when no folder is given. */
    public static final String DEFAULT_OUTPUT = "target/accuracy";

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : DEFAULT_OUTPUT);
        AccuracyResult result = run(AccuracyConfig.standard());
        List<Path> written = write(result, dir);
        System.out.println(result.summaryText());
        written.forEach(p -> System.out.println("wrote " + p));
    }

    /** Runs {@link AccuracyConfig#standard()}. */
    public static AccuracyResult run() {
        return run(AccuracyConfig.standard());
    }

    /** Generates every layer of {@code config} and measures every {@link AccuracyPath} on it. */
    public static AccuracyResult run(AccuracyConfig config) {
        long start = System.nanoTime();
        List<LayerSpec> specs = new ArrayList<>();
        for (int n : config.inputSizes()) {
            for (WeightDistribution w : config.weightDistributions()) {
                for (InputDistribution in : config.inputDistributions()) {
                    specs.add(new LayerSpec(n, w, in));
                }
            }
        }
        // Layers are independent and seeded on their own, so running them in parallel changes no number.
        List<Measurement> measurements = IntStream.range(0, specs.size()).parallel()
                .mapToObj(i -> measure(config, specs.get(i))).flatMap(List::stream).toList();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AccuracyResult(config, measurements, Kernels.info().toString(), millis);
    }

    private record LayerSpec(int inputSize, WeightDistribution weights, InputDistribution inputs) {}

    private static List<Measurement> measure(AccuracyConfig config, LayerSpec spec) {
        LayerCase layer = DataGenerator.generate(spec.inputSize(), config.units(), config.calibrationBatch(),
                config.evaluationBatch(), spec.weights(), spec.inputs(), config.rowScaleSpread(),
                config.layerSeed(spec.inputSize(), spec.weights(), spec.inputs()));
        return measure(layer);
    }

    /** Every path on one layer, in {@link AccuracyPath} order. */
    public static List<Measurement> measure(LayerCase layer) {
        int units = layer.units();
        int n = layer.inputSize();
        float[] x = layer.evaluation();
        int batch = layer.evaluationBatch();
        double[] truth = FloatPath.truth(layer.weights(), units, n, layer.bias(), x, batch);
        QuantizedWeights perTensor = QuantizedWeights.perTensor(layer.weights(), units, n);
        QuantizedWeights perChannel = QuantizedWeights.perChannel(layer.weights(), units, n);
        FullIntegerPath.Calibration calibration = FullIntegerPath.calibrate(layer);

        List<Measurement> out = new ArrayList<>();
        for (AccuracyPath path : AccuracyPath.values()) {
            QuantizedWeights w = path.perChannel() ? perChannel : perTensor;
            float[] y = switch (path.family()) {
                case FLOAT -> FloatPath.float32(layer.weights(), units, n, layer.bias(), x, batch);
                case HYBRID -> HybridPath.run(x, batch, w, layer.bias(), path.asymmetricInput());
                case FULL_INTEGER -> FullIntegerPath.run(x, batch, w, layer.bias(), calibration);
            };
            boolean integer = path.family() == AccuracyPath.Family.FULL_INTEGER;
            out.add(new Measurement(n, units, layer.weightDistribution(), layer.inputDistribution(), path,
                    Metrics.compare(truth, y), integer ? calibration.clippedFraction(truth) : Double.NaN,
                    integer ? gridSnrDb(truth, calibration.outputScale()) : Double.NaN));
        }
        return out;
    }

    /** {@code 10·log10(mean(t²) / (S3²/12))}: uniform rounding noise of step S3 has variance S3²/12. */
    static double gridSnrDb(double[] truth, float outputScale) {
        double energy = 0;
        for (double t : truth) {
            energy += t * t;
        }
        double step = outputScale;
        return 10.0 * Math.log10(energy / truth.length / (step * step / 12.0));
    }

    /**
     * Writes {@code accuracy.md}, {@code accuracy.html}, {@code accuracy.csv}, {@code accuracy.json} and the
     * charts into {@code dir} (created if needed).
     *
     * @return the files written
     */
    public static List<Path> write(AccuracyResult result, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        written.add(writeString(dir.resolve("accuracy.md"), result.markdownDocument()));
        written.add(writeString(dir.resolve("accuracy.html"), result.htmlDocument()));
        written.add(writeString(dir.resolve("accuracy.csv"), result.csv()));
        written.add(writeString(dir.resolve("accuracy.json"), result.json()));
        for (Map.Entry<String, String> chart : result.charts().entrySet()) {
            written.add(writeString(dir.resolve(chart.getKey()), chart.getValue()));
        }
        return written;
    }

    private static Path writeString(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
