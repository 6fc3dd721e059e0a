package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.FloatFullyConnected;
import dev.qlanes.fuzz.LayerArgs.Violation;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link FloatFullyConnected}: its builder and {@code eval} ({@code docs/fuzzing.md}). Each
 * input builds one layer from fuzzed sizes (sometimes negative), weights (sometimes null or of the wrong length), a
 * bias (sometimes of the wrong length) and an activation (sometimes null), then evaluates it one to three times with
 * fuzzed batches and arrays (sometimes null, short, or the input array passed as the output). Allowed outcomes:
 * <ul>
 *   <li>builder: exactly the exception of the first invalid argument, in the documented order, naming it; or a
 *       layer whose accessors return what was set;</li>
 *   <li>{@code eval}: success when no documented precondition is broken, and then the output equals
 *       {@link ReferenceFloatFullyConnected#eval} on copies bit for bit (any NaN equal to any NaN, §6.11), the elements
 *       past the result and the input unchanged; otherwise one of the broken preconditions' exceptions, naming its
 *       argument, with every output element unchanged;</li>
 *   <li>for one valid call in four, the same call from a second thread at the same time, with the same result.</li>
 * </ul>
 */
class FloatLayerFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("FloatLayerFuzzTest.floatLayer");
    private static final String BUILDER = "builder";
    private static final String EVAL = "eval(float[])";
    /** Every outcome of the builder and of eval, from two threads included. */
    private static final List<String> REQUIRED = List.of(BUILDER + " ok", BUILDER + " NullPointerException",
            BUILDER + " IllegalArgumentException", BUILDER + " IndexOutOfBoundsException", EVAL + " ok",
            EVAL + " ok 2 threads", EVAL + " NullPointerException", EVAL + " IllegalArgumentException",
            EVAL + " IndexOutOfBoundsException");
    /** Units and input sizes stay small: the layer's loops are checked at every size, not at large ones. */
    private static final int MAX_UNITS = 40;
    private static final int MAX_INPUT = 300;

    @FuzzTest(maxDuration = "60s")
    void floatLayer(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        Args a = new Args(data);
        int units = a.oneIn(24) ? -data.consumeInt(1, 5) : data.consumeInt(0, MAX_UNITS);
        int inputSize = a.oneIn(24) ? -data.consumeInt(1, 5) : data.consumeInt(0, MAX_INPUT);
        long required = (long) Math.max(units, 0) * Math.max(inputSize, 0);
        float[] weights = a.isNull() ? null : a.floatsOfLength(a.length(required));
        float[] bias = a.oneIn(3) ? null
                : a.floatsOfLength(a.oneIn(10) ? data.consumeInt(0, 50) : Math.max(units, 0));
        FusedActivation activation = a.oneIn(24) ? null : data.pickValue(FusedActivation.values());

        Violation expected = units < 0 ? new Violation(IllegalArgumentException.class, "units")
                : inputSize < 0 ? new Violation(IllegalArgumentException.class, "inputSize")
                : weights == null ? new Violation(NullPointerException.class, "weights")
                : weights.length != required ? new Violation(IndexOutOfBoundsException.class, "weights")
                : bias != null && bias.length != units ? new Violation(IndexOutOfBoundsException.class, "bias")
                : activation == null ? new Violation(NullPointerException.class, "activation") : null;
        float[] weightsGiven = weights == null ? null : weights.clone();
        float[] biasGiven = bias == null ? null : bias.clone();
        FloatFullyConnected layer;
        try {
            layer = FloatFullyConnected.builder(weights, units, inputSize).bias(bias).activation(activation).build();
        } catch (RuntimeException e) {
            LayerArgs.checkRejection(OUTCOMES, BUILDER, e, expected == null ? List.of() : List.of(expected),
                    units + "x" + inputSize);
            return;
        }
        if (expected != null) {
            throw new AssertionError("the builder accepted " + expected + " at " + units + "x" + inputSize);
        }
        if (layer.units() != units || layer.inputSize() != inputSize || layer.activation() != activation
                || layer.toString() == null) {
            throw new AssertionError("accessors of " + layer + " do not return what was set");
        }
        Arrays.fill(weights, Float.NaN); // the layer copied its weights and bias: this must change nothing
        if (bias != null) {
            Arrays.fill(bias, Float.NaN);
        }
        OUTCOMES.count(BUILDER, Outcomes.OK);
        for (int calls = data.consumeInt(1, 3); calls > 0; calls--) {
            eval(a, layer, weightsGiven, biasGiven);
        }
    }

    @AfterAll
    static void report() {
        OUTCOMES.finish("dev/qlanes/fuzz/FloatLayerFuzzTestInputs/floatLayer", REQUIRED,
                new FloatLayerFuzzTest()::floatLayer);
    }

    private static void eval(Args a, FloatFullyConnected layer, float[] weights, float[] bias) {
        int units = layer.units();
        int inputSize = layer.inputSize();
        int batch = a.oneIn(24) ? -1 - a.size(4) : a.size(6);
        long inNeed = (long) Math.max(batch, 0) * inputSize;
        long outNeed = (long) Math.max(batch, 0) * units;
        float[] input = a.isNull() ? null : a.floatsOfLength(a.length(inNeed));
        boolean same = input != null && a.oneIn(16);
        float[] output = same ? input : a.isNull() ? null : a.floatsOfLength(a.length(outNeed));
        List<Violation> violations = new ArrayList<>(LayerArgs.arrayViolations(input,
                input == null ? 0 : input.length, batch, output, output == null ? 0 : output.length, inputSize, units));
        if (same) {
            violations.add(new Violation(IllegalArgumentException.class, "input"));
        }
        float[] inputBefore = input == null ? null : input.clone();
        float[] outputBefore = output == null ? null : output.clone();
        try {
            layer.eval(input, batch, output);
        } catch (RuntimeException e) {
            LayerArgs.checkRejection(OUTCOMES, EVAL, e, violations, "batch " + batch + " on " + layer);
            if (output != null && Outcomes.floatMismatch(outputBefore, output) >= 0) {
                throw new AssertionError("a rejected call wrote its output: " + e);
            }
            return;
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("eval accepted " + violations + ": batch " + batch + " on " + layer);
        }
        float[] expected = outputBefore.clone();
        ReferenceFloatFullyConnected.eval(inputBefore, batch, inputSize, weights, units, bias, layer.activation(),
                expected);
        check(expected, output, inputBefore, input, "batch " + batch + " on " + layer);
        OUTCOMES.count(EVAL, Outcomes.OK);
        if (a.oneIn(4)) { // the same call from two threads at once, each on its own arrays
            float[] in1 = inputBefore.clone();
            float[] in2 = inputBefore.clone();
            float[] out1 = outputBefore.clone();
            float[] out2 = outputBefore.clone();
            LayerArgs.together(() -> layer.eval(in1, batch, out1), () -> layer.eval(in2, batch, out2));
            check(expected, out1, inputBefore, in1, "first of two threads, batch " + batch + " on " + layer);
            check(expected, out2, inputBefore, in2, "second of two threads, batch " + batch + " on " + layer);
            OUTCOMES.count(EVAL, Outcomes.OK + " 2 threads");
        }
    }

    private static void check(float[] expected, float[] output, float[] inputBefore, float[] input, String where) {
        int at = Outcomes.floatMismatch(expected, output);
        if (at >= 0) {
            throw new AssertionError(where + ": output[" + at + "] expected " + Outcomes.describe(expected[at])
                    + ", got " + Outcomes.describe(output[at]));
        }
        if (Outcomes.floatMismatch(inputBefore, input) >= 0) {
            throw new AssertionError(where + ": the input changed");
        }
    }
}
