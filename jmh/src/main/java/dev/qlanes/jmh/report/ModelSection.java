package dev.qlanes.jmh.report;

import static dev.qlanes.jmh.markdown.Markdown.text;

import dev.qlanes.jmh.ModelBenchmark.RealModel;
import dev.qlanes.jmh.markdown.Markdown;
import dev.qlanes.tflite.TfLiteModel;
import dev.qlanes.tflite.TfLiteRunner;
import dev.qlanes.tflite.schema.Quantization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Real {@code .tflite} models on qlanes: whole-model latency from {@code ModelBenchmark} (float beside hybrid and
 * int8 forms of the same model), and how far each quantized form's output is from its float model's (SNR), as a
 * sanity check of the quantized models rather than of qlanes, whose runs are exact.
 */
final class ModelSection {
    private static final String MODELS = "ModelBenchmark";

    private ModelSection() {}

    static void append(Markdown doc, List<Run> runs) {
        List<String> batches = new ArrayList<>();
        runs.forEach(r -> r.results().stream().filter(x -> x.benchmark().equals(MODELS)).map(x -> x.param("batch"))
                .filter(b -> !batches.contains(b)).forEach(batches::add));
        if (batches.isEmpty()) {
            return;
        }
        doc.heading(2, "Real models");
        doc.paragraph("`TfLiteModel` runs of MLPerf Tiny's ToyCar autoencoder (ten FULLY_CONNECTED layers, "
                + "640-128-128-128-128-8-128-128-128-128-640) and tflite-micro's hello_world (1-16-16-1), each checked "
                + "bit for bit against the model's reference runner before timing. Median µs per run (one run is the "
                + "whole batch), and the quantized form's time over the float form's.");
        List<String> header = new ArrayList<>(List.of("model", "batch"));
        for (Run run : runs) {
            for (String column : List.of("µs/run", "µs/row", "vs float")) {
                header.add(text(runs.size() > 1 ? run.label() + ": " + column : column));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (RealModel m : RealModel.values()) {
            for (String batch : batches) {
                List<String> row = new ArrayList<>(List.of(m.name(), text(batch)));
                for (Run run : runs) {
                    double t = micros(run, m, batch);
                    double f = micros(run, floatTwin(m), batch);
                    row.add(f(t));
                    row.add(f(t / Integer.parseInt(batch)));
                    row.add(m == floatTwin(m) ? "1" : f(t / f));
                }
                rows.add(row);
            }
        }
        doc.table(header, rows);
        accuracy(doc);
    }

    private static RealModel floatTwin(RealModel m) {
        return switch (m) {
            case TOYCAR_FLOAT, TOYCAR_HYBRID -> RealModel.TOYCAR_FLOAT;
            case HELLO_FLOAT, HELLO_INT8 -> RealModel.HELLO_FLOAT;
        };
    }

    private static double micros(Run run, RealModel m, String batch) {
        Optional<Run.Result> r = run.find(MODELS, "run", Map.of("model", m.name(), "batch", batch));
        return r.map(x -> x.medianNs() / 1e3).orElse(Double.NaN);
    }

    /** SNR of each quantized model's output against its float model's, on the same inputs. */
    private static void accuracy(Markdown doc) {
        try {
            double toyCar = toyCarSnr();
            double hello = helloSnr();
            doc.paragraph("Quantized against float, on the same inputs (signal-to-noise ratio of the outputs): "
                    + "ToyCar hybrid vs float on 256 rows of uniform [-1, 1) features: "
                    + String.format(Locale.ROOT, "%.1f dB", toyCar) + "; hello_world int8 vs float on 256 points of "
                    + "[0, 2π) (the int8 input quantized with the model's input scale, the output dequantized): "
                    + String.format(Locale.ROOT, "%.1f dB", hello) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double toyCarSnr() throws IOException {
        int batch = 256;
        float[] x = new float[batch * 640];
        Random random = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        float[] yf = runFloat(RealModel.TOYCAR_FLOAT, batch, x, 640);
        float[] yh = runFloat(RealModel.TOYCAR_HYBRID, batch, x, 640);
        return snr(yf, yh);
    }

    static double helloSnr() throws IOException {
        int batch = 256;
        float[] x = new float[batch];
        for (int i = 0; i < batch; i++) {
            x[i] = (float) (2 * Math.PI * i / batch);
        }
        float[] yf = runFloat(RealModel.HELLO_FLOAT, batch, x, 1);
        Path p = RealModel.HELLO_INT8.extract();
        try (TfLiteModel m = TfLiteModel.open(p)) {
            TfLiteRunner r = m.newRunner(batch);
            Quantization qi = r.inputTensor(0).quantization();
            Quantization qo = r.outputTensor(0).quantization();
            byte[] q = new byte[batch];
            for (int i = 0; i < batch; i++) {
                long v = Math.round(x[i] / qi.scales()[0]) + qi.zeroPoints()[0];
                q[i] = (byte) Math.max(-128, Math.min(127, v));
            }
            r.setInput(0, q);
            r.run();
            byte[] y = new byte[batch];
            r.getOutput(0, y);
            float[] yq = new float[batch];
            for (int i = 0; i < batch; i++) {
                yq[i] = (float) ((y[i] - qo.zeroPoints()[0]) * (double) qo.scales()[0]);
            }
            return snr(yf, yq);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static float[] runFloat(RealModel model, int batch, float[] x, int outputs) throws IOException {
        Path p = model.extract();
        try (TfLiteModel m = TfLiteModel.open(p)) {
            TfLiteRunner r = m.newRunner(batch);
            r.setInput(0, x);
            r.run();
            float[] y = new float[batch * outputs];
            r.getOutput(0, y);
            return y;
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static double snr(float[] exact, float[] approx) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < exact.length; i++) {
            signal += (double) exact[i] * exact[i];
            double d = (double) exact[i] - approx[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
