package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.QuantizedFullyConnectedParameters;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link QuantizedFullyConnected}: its builder and both {@code eval} forms
 * ({@code docs/fuzzing.md}), as {@link HybridLayerFuzzTest} does for the hybrid layer. The builder gets fuzzed real
 * scales (NaN, zero, negative, infinite, subnormal, huge, powers of two) and zero points (sometimes outside int8), a
 * requantization through either setter (sometimes null), and sometimes no input or output quantization at all. Allowed
 * outcomes:
 * <ul>
 *   <li>builder: the exception of the first invalid setter, naming its argument; else {@code build()} throws
 *       {@link IllegalStateException} naming the quantization not set, or exactly the {@link IllegalArgumentException}
 *       (same message) that {@link QuantizedFullyConnectedParameters} gives for these scales and zero points, or builds
 *       a layer whose {@code parameters()} equal the reference's;</li>
 *   <li>{@code eval}: success when no documented precondition is broken (for arrays: distinct input and output), and
 *       then the output equals {@link ReferenceQuantizedFullyConnected#eval} on copies bit for bit, with everything
 *       past the result and around native outputs unchanged; otherwise one of the broken preconditions' exceptions,
 *       naming its argument, with every output byte unchanged;</li>
 *   <li>for one valid call in four, the same call from a second thread at the same time, with the same result.</li>
 * </ul>
 */
class QuantizedLayerFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("QuantizedLayerFuzzTest.quantized");
    private static final String BUILDER = "builder";
    /** Every outcome of the builder and both evals, the parameters' own rejections included. */
    private static final List<String> REQUIRED = LayerArgs.required("eval(byte[])",
            "IllegalArgumentException (parameters)", "IllegalStateException");

    @FuzzTest(maxDuration = "60s")
    void quantized(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        Args a = new Args(data);
        LayerArgs.Weights w = LayerArgs.weights(a);
        boolean nullWeights = a.oneIn(40);
        int[] bias = a.oneIn(3) ? null : a.intsOfLength(a.oneIn(10) ? data.consumeInt(0, 50) : w.units());
        boolean inputSet = !a.oneIn(16);
        float inputScale = a.scale();
        int inputZeroPoint = a.zeroPoint();
        boolean outputSet = !a.oneIn(16);
        float outputScale = a.scale();
        int outputZeroPoint = a.zeroPoint();
        boolean viaRounding = data.consumeBoolean();
        Rounding rounding = a.oneIn(24) ? null : data.pickValue(Rounding.values());
        Requantization requantization = a.oneIn(24) ? null : data.pickValue(Requantization.values());
        Requantization chosen = viaRounding ? (rounding == null ? null : Requantization.fixedPoint(rounding))
                : requantization;
        LayerArgs.Options options = LayerArgs.Options.draw(a);

        LayerArgs.Violation expected = nullWeights ? new LayerArgs.Violation(NullPointerException.class, "weights")
                : bias != null && bias.length != w.units()
                        ? new LayerArgs.Violation(IndexOutOfBoundsException.class, "bias")
                        : chosen == null ? new LayerArgs.Violation(NullPointerException.class,
                                viaRounding ? "rounding" : "requantization")
                                : options.firstInvalid() != null ? options.firstInvalid() : options.workspace(w);
        if (expected == null && (!inputSet || !outputSet)) {
            expected = new LayerArgs.Violation(IllegalStateException.class, inputSet ? "output" : "input");
        }
        QuantizedFullyConnectedParameters parameters = null;
        String parameterError = null;
        if (expected == null) {
            FusedActivation activation = options.activationOrDefault();
            try {
                parameters = w.channelScales() == null
                        ? QuantizedFullyConnectedParameters.perTensor(inputScale, inputZeroPoint, w.scale(), outputScale,
                                outputZeroPoint, activation, chosen)
                        : QuantizedFullyConnectedParameters.perChannel(inputScale, inputZeroPoint, w.channelScales(),
                                outputScale, outputZeroPoint, activation, chosen);
            } catch (IllegalArgumentException e) {
                parameterError = e.getMessage();
            }
        }
        int[] biasGiven = bias == null ? null : bias.clone();
        QuantizedFullyConnected layer;
        try {
            QuantizedFullyConnected.Builder b = QuantizedFullyConnected.builder(nullWeights ? null : w.prepared());
            b.bias(bias);
            if (inputSet) {
                b.input(inputScale, inputZeroPoint);
            }
            if (outputSet) {
                b.output(outputScale, outputZeroPoint);
            }
            if (viaRounding) {
                b.rounding(rounding);
            } else {
                b.requantization(requantization);
            }
            options.apply(b);
            layer = b.build();
        } catch (RuntimeException e) {
            if (parameterError != null) {
                if (e.getClass() != IllegalArgumentException.class || !parameterError.equals(e.getMessage())) {
                    throw new AssertionError("build() threw " + e + ", the reference parameters: " + parameterError, e);
                }
                OUTCOMES.count(BUILDER, "IllegalArgumentException (parameters)");
                return;
            }
            LayerArgs.checkRejection(OUTCOMES, BUILDER, e, expected == null ? List.of() : List.of(expected),
                    "options " + options);
            return;
        }
        if (expected != null || parameterError != null) {
            throw new AssertionError("the builder accepted " + (expected != null ? expected : parameterError) + ": "
                    + options);
        }
        if (bias != null) {
            Arrays.fill(bias, Integer.MIN_VALUE); // the layer copied its bias: this must change nothing
        }
        if (!layer.parameters().toString().equals(parameters.toString()) || layer.weights() != w.prepared()
                || layer.units() != w.units() || layer.inputSize() != w.inputSize()
                || !Arrays.equals(biasGiven, layer.bias()) || layer.parallelism() != options.parallelismOrDefault()
                || layer.toString() == null) {
            throw new AssertionError("accessors of " + layer + " do not return what was set or derived: " + parameters
                    + ", " + options);
        }
        OUTCOMES.count(BUILDER, Outcomes.OK);
        Layer l = new Layer(layer, w, biasGiven, inputScale, inputZeroPoint, outputScale, outputZeroPoint,
                options.activationOrDefault(), chosen);
        for (int calls = data.consumeInt(1, 3); calls > 0; calls--) {
            if (data.consumeBoolean()) {
                l.evalArrays(a);
            } else {
                l.evalSegments(a);
            }
        }
    }

    @AfterAll
    static void report() {
        OUTCOMES.finish("dev/qlanes/fuzz/QuantizedLayerFuzzTestInputs/quantized", REQUIRED, new QuantizedLayerFuzzTest()::quantized);
    }

    /** A built layer and what its reference twin needs. */
    private record Layer(QuantizedFullyConnected layer, LayerArgs.Weights w, int[] bias, float inputScale,
            int inputZeroPoint, float outputScale, int outputZeroPoint, FusedActivation activation,
            Requantization requantization) {

        /** The reference's output for {@code batch} rows of {@code input}, over a copy of {@code initial}. */
        byte[] expected(byte[] input, int batch, byte[] initial) {
            byte[] out = initial.clone();
            if (batch > 0 && w.units() > 0) {
                ReferenceQuantizedFullyConnected.eval(input, batch, w.inputSize(), inputScale, inputZeroPoint, w.bytes(),
                        w.units(), w.scale(), w.channelScales(), bias, outputScale, outputZeroPoint, activation,
                        requantization, out);
            }
            return out;
        }

        int batch(Args a) {
            return a.oneIn(12) ? a.data.pickValue(new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 28,
                46341}) : a.data.consumeInt(0, 6);
        }

        void evalArrays(Args a) {
            String entry = "eval(byte[])";
            int batch = batch(a);
            boolean secondCaller = a.oneIn(4); // drawn first: the arrays below may use up the data
            byte[] input = a.bytes((long) batch * w.inputSize());
            boolean sameArray = input != null && a.oneIn(10);
            byte[] output = sameArray ? input : a.bytes((long) batch * w.units());
            byte[] inputBefore = input == null ? null : input.clone();
            byte[] outputBefore = output == null ? null : output.clone();
            List<LayerArgs.Violation> violations = new java.util.ArrayList<>(LayerArgs.arrayViolations(input,
                    input == null ? 0 : input.length, batch, output, output == null ? 0 : output.length, w.inputSize(),
                    w.units()));
            if (sameArray) {
                violations.add(new LayerArgs.Violation(IllegalArgumentException.class, "input"));
            }
            boolean twoThreads = violations.isEmpty() && batch > 0 && secondCaller;
            byte[] secondInput = twoThreads ? inputBefore.clone() : null;
            byte[] secondOutput = twoThreads ? outputBefore.clone() : null;
            try {
                if (twoThreads) {
                    LayerArgs.together(() -> layer.eval(input, batch, output),
                            () -> layer.eval(secondInput, batch, secondOutput));
                } else {
                    layer.eval(input, batch, output);
                }
            } catch (RuntimeException e) {
                LayerArgs.checkRejection(OUTCOMES, entry, e, violations, context(batch));
                HybridLayerFuzzTest.sameBytes(entry + " rejected: output", outputBefore, output);
                HybridLayerFuzzTest.sameBytes(entry + " rejected: input", inputBefore, input);
                return;
            }
            if (!violations.isEmpty()) {
                throw new AssertionError(entry + " accepted " + violations + "; " + context(batch));
            }
            byte[] expected = expected(inputBefore, batch, outputBefore);
            compare(entry, expected, output, batch);
            HybridLayerFuzzTest.sameBytes(entry + ": input", inputBefore, input);
            if (twoThreads) {
                compare(entry + " on the second thread", expected, secondOutput, batch);
            }
            OUTCOMES.count(entry, Outcomes.OK + (twoThreads ? " 2 threads" : ""));
        }

        void evalSegments(Args a) {
            String entry = "eval(segment)";
            int batch = batch(a);
            boolean secondCaller = a.oneIn(4); // drawn first: the arrays below may use up the data
            long inputElements = Math.max(0, Math.min((long) batch * w.inputSize(), Args.MAX_ELEMENTS));
            long outputElements = Math.max(0, Math.min((long) batch * w.units(), Args.MAX_ELEMENTS));
            LayerArgs.Kind inKind = a.data.pickValue(LayerArgs.Kind.values());
            LayerArgs.Kind outKind = a.data.pickValue(LayerArgs.Kind.values());
            long inBytes = a.length(inputElements);
            long outBytes = a.length(outputElements);
            MemorySegment input = LayerArgs.segment(inKind == LayerArgs.Kind.OVERLAPPING ? LayerArgs.Kind.NATIVE
                    : inKind, inBytes, a.bytesOfLength((int) inBytes), 0, null, a);
            MemorySegment output = LayerArgs.segment(outKind, outBytes, a.bytesOfLength((int) outBytes), 1, input, a);
            byte[] inputBefore = Segments.snapshot(input);
            byte[] outputBefore = Segments.snapshot(output);
            byte[] guardsBefore = Segments.guards(output);
            boolean overlap = LayerArgs.overlap(input, output);
            List<LayerArgs.Violation> violations = LayerArgs.segmentViolations(input, batch, output, w.inputSize(),
                    w.units(), Byte.BYTES);
            boolean twoThreads = violations.isEmpty() && batch > 0 && !overlap && secondCaller;
            MemorySegment secondInput = twoThreads ? LayerArgs.copyForSecondCaller(input) : null;
            MemorySegment secondOutput = twoThreads ? LayerArgs.copyForSecondCaller(output) : null;
            try {
                if (twoThreads) {
                    LayerArgs.together(() -> layer.eval(input, batch, output),
                            () -> layer.eval(secondInput, batch, secondOutput));
                } else {
                    layer.eval(input, batch, output);
                }
            } catch (RuntimeException e) {
                LayerArgs.checkRejection(OUTCOMES, entry, e, violations, context(batch) + ", input " + inKind
                        + ", output " + outKind);
                HybridLayerFuzzTest.sameBytes(entry + " rejected: output", outputBefore, Segments.snapshot(output));
                HybridLayerFuzzTest.sameBytes(entry + " rejected: input", inputBefore, Segments.snapshot(input));
                HybridLayerFuzzTest.sameBytes(entry + " rejected: guards around the output", guardsBefore,
                        Segments.guards(output));
                return;
            }
            if (!violations.isEmpty()) {
                throw new AssertionError(entry + " accepted " + violations + "; " + context(batch));
            }
            int m = batch * w.units();
            byte[] expected = outputBefore.clone();
            byte[] result = expected(Arrays.copyOf(inputBefore, batch * w.inputSize()), batch, new byte[m]);
            System.arraycopy(result, 0, expected, 0, m);
            compare(entry, expected, Segments.snapshot(output), batch);
            HybridLayerFuzzTest.sameBytes(entry + ": guards around the output", guardsBefore, Segments.guards(output));
            if (!overlap) {
                HybridLayerFuzzTest.sameBytes(entry + ": input", inputBefore, Segments.snapshot(input));
            }
            if (twoThreads) {
                compare(entry + " on the second thread", expected, Segments.snapshot(secondOutput), batch);
            }
            OUTCOMES.count(entry, Outcomes.OK + (overlap ? " overlapping" : "") + (twoThreads ? " 2 threads" : ""));
        }

        private void compare(String entry, byte[] expected, byte[] actual, int batch) {
            int i = Arrays.mismatch(expected, actual);
            if (i >= 0) {
                throw new AssertionError(entry + ": element " + i + (i < (long) batch * w.units() ? " (batch "
                        + i / w.units() + ", unit " + i % w.units() + ")" : " (past the result)") + " is "
                        + (i < actual.length ? actual[i] : "missing") + ", the reference gives "
                        + (i < expected.length ? expected[i] : "nothing") + "; " + context(batch));
            }
        }

        private String context(int batch) {
            return "batch " + batch + ", " + layer + ", weights from " + w.source() + (bias == null ? ", no bias" : "");
        }
    }
}
