package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.HybridFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link HybridFullyConnected}: its builder and both {@code eval} forms
 * ({@code docs/fuzzing.md}). Each input builds one layer over valid weights ({@link LayerArgs#weights}) with options
 * that are sometimes invalid, then evaluates it one to three times with fuzzed batches and activations: arrays (the
 * output sometimes the input array itself, which the layer allows), or segments of every kind (native at any
 * alignment, heap over bytes or floats, overlapping, read-only, closed, confined to another thread, null). Allowed
 * outcomes:
 * <ul>
 *   <li>builder: exactly the exception of the first invalid setter, naming its argument, or a layer whose accessors
 *       return what was set;</li>
 *   <li>{@code eval}: success when no documented precondition is broken, and then the output equals
 *       {@link ReferenceHybridFullyConnected#eval} on copies of the arguments bit for bit (any NaN equal to any NaN),
 *       elements past the result and the {@link Segments#GUARD} bytes around native outputs unchanged, and the input
 *       unchanged unless it is the output; otherwise one of the broken preconditions' exceptions, naming its
 *       argument, with every output byte unchanged;</li>
 *   <li>for one valid call in four, the same call from a second thread at the same time, on its own copies, with the
 *       same result.</li>
 * </ul>
 */
class HybridLayerFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("HybridLayerFuzzTest.hybrid");
    private static final String BUILDER = "builder";
    /** Every outcome of the builder and both evals, in place and from two threads included. */
    private static final List<String> REQUIRED = LayerArgs.required("eval(float[])", "ok in place");

    @FuzzTest(maxDuration = "60s")
    void hybrid(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        Args a = new Args(data);
        LayerArgs.Weights w = LayerArgs.weights(a);
        boolean nullWeights = a.oneIn(40);
        float[] bias = a.oneIn(3) ? null : a.floatsOfLength(a.oneIn(10) ? data.consumeInt(0, 50) : w.units());
        boolean asymmetric = data.consumeBoolean();
        LayerArgs.Options options = LayerArgs.Options.draw(a);

        LayerArgs.Violation expected = nullWeights ? new LayerArgs.Violation(NullPointerException.class, "weights")
                : bias != null && bias.length != w.units()
                        ? new LayerArgs.Violation(IndexOutOfBoundsException.class, "bias")
                        : options.firstInvalid() != null ? options.firstInvalid() : options.workspace(w);
        float[] biasGiven = bias == null ? null : bias.clone();
        HybridFullyConnected layer;
        try {
            HybridFullyConnected.Builder b = HybridFullyConnected.builder(nullWeights ? null : w.prepared());
            b.bias(bias);
            options.apply(b);
            layer = b.asymmetricInputs(asymmetric).build();
        } catch (RuntimeException e) {
            LayerArgs.checkRejection(OUTCOMES, BUILDER, e, expected == null ? List.of() : List.of(expected),
                    "options " + options);
            return;
        }
        if (expected != null) {
            throw new AssertionError("the builder accepted " + expected + ": " + options);
        }
        if (bias != null) {
            Arrays.fill(bias, Float.NaN); // the layer copied its bias: this must change nothing
        }
        checkAccessors(layer, w, biasGiven, asymmetric, options);
        OUTCOMES.count(BUILDER, Outcomes.OK);
        Layer l = new Layer(layer, w, biasGiven, asymmetric, options.activationOrDefault());
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
        OUTCOMES.finish("dev/qlanes/fuzz/HybridLayerFuzzTestInputs/hybrid", REQUIRED, new HybridLayerFuzzTest()::hybrid);
    }

    private static void checkAccessors(HybridFullyConnected layer, LayerArgs.Weights w, float[] bias,
            boolean asymmetric, LayerArgs.Options options) {
        boolean ok = layer.weights() == w.prepared() && layer.units() == w.units()
                && layer.inputSize() == w.inputSize() && layer.asymmetricInputs() == asymmetric
                && layer.activation() == options.activationOrDefault()
                && layer.parallelism() == options.parallelismOrDefault()
                && Arrays.equals(bits(bias), bits(layer.bias())) && layer.toString() != null;
        if (!ok) {
            throw new AssertionError("accessors of " + layer + " do not return what was set: " + options);
        }
    }

    private static int[] bits(float[] f) {
        if (f == null) {
            return null;
        }
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    /** A built layer and what its reference twin needs. */
    private record Layer(HybridFullyConnected layer, LayerArgs.Weights w, float[] bias, boolean asymmetric,
            FusedActivation activation) {

        /** The reference's output for {@code batch} rows of {@code input}, over a copy of {@code initial}. */
        float[] expected(float[] input, int batch, float[] initial) {
            float[] out = initial.clone();
            ReferenceHybridFullyConnected.eval(input, batch, w.inputSize(), w.bytes(), w.units(), w.scale(),
                    w.channelScales(), bias, asymmetric, activation, out);
            return out;
        }

        int batch(Args a) {
            return a.oneIn(12) ? a.data.pickValue(new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 28,
                46341}) : a.data.consumeInt(0, 6);
        }

        void evalArrays(Args a) {
            String entry = "eval(float[])";
            int batch = batch(a);
            boolean secondCaller = a.oneIn(4); // drawn first: the arrays below may use up the data
            float[] input = a.floats((long) batch * w.inputSize());
            boolean inPlace = input != null && a.oneIn(6);
            float[] output = inPlace ? input : a.floats((long) batch * w.units());
            float[] inputBefore = input == null ? null : input.clone();
            float[] outputBefore = output == null ? null : output.clone();
            List<LayerArgs.Violation> violations = LayerArgs.arrayViolations(input, input == null ? 0 : input.length,
                    batch, output, output == null ? 0 : output.length, w.inputSize(), w.units());
            boolean twoThreads = violations.isEmpty() && batch > 0 && secondCaller;
            float[] secondInput = twoThreads ? inputBefore.clone() : null;
            float[] secondOutput = twoThreads ? (inPlace ? secondInput : outputBefore.clone()) : null;
            try {
                if (twoThreads) {
                    LayerArgs.together(() -> layer.eval(input, batch, output),
                            () -> layer.eval(secondInput, batch, secondOutput));
                } else {
                    layer.eval(input, batch, output);
                }
            } catch (RuntimeException e) {
                LayerArgs.checkRejection(OUTCOMES, entry, e, violations, context(batch));
                same(entry + " rejected: output", outputBefore, output);
                same(entry + " rejected: input", inputBefore, input);
                return;
            }
            if (!violations.isEmpty()) {
                throw new AssertionError(entry + " accepted " + violations + "; " + context(batch));
            }
            // Nothing to compute for an empty product (the reference would still loop over a huge batch of 0 units)
            float[] expected = batch == 0 || w.units() == 0 ? outputBefore : expected(inputBefore, batch, outputBefore);
            compare(entry, expected, output, batch);
            if (!inPlace) {
                same(entry + ": input", inputBefore, input);
            }
            if (twoThreads) {
                compare(entry + " on the second thread", expected, secondOutput, batch);
            }
            OUTCOMES.count(entry, Outcomes.OK + (inPlace ? " in place" : "") + (twoThreads ? " 2 threads" : ""));
        }

        void evalSegments(Args a) {
            String entry = "eval(segment)";
            int batch = batch(a);
            boolean secondCaller = a.oneIn(4); // drawn first: the arrays below may use up the data
            long inputElements = Math.max(0, Math.min((long) batch * w.inputSize(), Args.MAX_ELEMENTS));
            long outputElements = Math.max(0, Math.min((long) batch * w.units(), Args.MAX_ELEMENTS));
            LayerArgs.Kind inKind = a.data.pickValue(LayerArgs.Kind.values());
            LayerArgs.Kind outKind = a.data.pickValue(LayerArgs.Kind.values());
            long inBytes = 4 * Math.max(0, a.length(inputElements)) + (a.oneIn(4) ? a.data.consumeInt(0, 3) : 0);
            long outBytes = 4 * Math.max(0, a.length(outputElements)) + (a.oneIn(4) ? a.data.consumeInt(0, 3) : 0);
            byte[] inContent = toBytes(a.floatsOfLength((int) (inBytes / 4)), inBytes);
            byte[] outContent = toBytes(a.floatsOfLength((int) (outBytes / 4)), outBytes);
            MemorySegment input = LayerArgs.segment(inKind == LayerArgs.Kind.OVERLAPPING ? LayerArgs.Kind.NATIVE
                    : inKind, inBytes, inContent, 0, null, a);
            MemorySegment output = LayerArgs.segment(outKind, outBytes, outContent, 1, input, a);
            byte[] inputBefore = Segments.snapshot(input);
            byte[] outputBefore = Segments.snapshot(output);
            byte[] guardsBefore = Segments.guards(output);
            boolean overlap = LayerArgs.overlap(input, output);
            List<LayerArgs.Violation> violations = LayerArgs.segmentViolations(input, batch, output, w.inputSize(),
                    w.units(), Float.BYTES);
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
                LayerArgs.checkRejection(OUTCOMES, entry, e, violations, context(batch) + ", input " + inKind + " "
                        + (input == null ? "" : input.byteSize()) + " bytes, output " + outKind + " "
                        + (output == null ? "" : output.byteSize()) + " bytes");
                sameBytes(entry + " rejected: output", outputBefore, Segments.snapshot(output));
                sameBytes(entry + " rejected: input", inputBefore, Segments.snapshot(input));
                sameBytes(entry + " rejected: guards around the output", guardsBefore, Segments.guards(output));
                return;
            }
            if (!violations.isEmpty()) {
                throw new AssertionError(entry + " accepted " + violations + "; " + context(batch));
            }
            int m = batch * w.units();
            float[] initial = MemorySegment.ofArray(outputBefore).asSlice(0, 4L * m)
                    .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            float[] in = MemorySegment.ofArray(inputBefore).asSlice(0, 4L * batch * w.inputSize())
                    .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            float[] expected = batch == 0 || w.units() == 0 ? initial : expected(in, batch, initial);
            checkSegment(entry, expected, outputBefore, output, batch);
            sameBytes(entry + ": guards around the output", guardsBefore, Segments.guards(output));
            if (!overlap) {
                sameBytes(entry + ": input", inputBefore, Segments.snapshot(input));
            }
            if (twoThreads) {
                checkSegment(entry + " on the second thread", expected, outputBefore, secondOutput, batch);
            }
            OUTCOMES.count(entry, Outcomes.OK + (overlap ? " overlapping" : "") + (twoThreads ? " 2 threads" : ""));
        }

        /** The first {@code expected.length} floats of {@code output} equal {@code expected}; the rest is unchanged. */
        private void checkSegment(String entry, float[] expected, byte[] outputBefore, MemorySegment output, int batch) {
            byte[] after = Segments.snapshot(output);
            float[] actual = MemorySegment.ofArray(after).asSlice(0, 4L * expected.length)
                    .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            compare(entry, expected, actual, batch);
            int tail = 4 * expected.length;
            if (!Arrays.equals(outputBefore, tail, outputBefore.length, after, tail, after.length)) {
                throw new AssertionError(entry + " wrote past batch * units floats; " + context(batch));
            }
        }

        private void compare(String entry, float[] expected, float[] actual, int batch) {
            int i = Outcomes.floatMismatch(expected, actual);
            if (i >= 0) {
                throw new AssertionError(entry + ": element " + i + (i < batch * w.units() ? " (batch " + i
                        / w.units() + ", unit " + i % w.units() + ")" : " (past the result)") + " is "
                        + Outcomes.describe(actual[i]) + ", the reference gives " + Outcomes.describe(expected[i])
                        + "; " + context(batch));
            }
        }

        private String context(int batch) {
            return "batch " + batch + ", " + layer + ", weights from " + w.source() + (bias == null ? ", no bias" : "");
        }
    }

    /** Floats in native byte order, as the segment forms read them, cut or zero-padded to {@code bytes} bytes. */
    static byte[] toBytes(float[] f, long bytes) {
        byte[] b = new byte[(int) bytes];
        MemorySegment s = MemorySegment.ofArray(b);
        for (int i = 0; i < f.length && 4L * i + 4 <= bytes; i++) {
            s.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.nativeOrder()), 4L * i, f[i]);
        }
        return b;
    }

    private static void same(String what, float[] before, float[] after) {
        if (before != null && !Arrays.equals(bits(before), bits(after))) {
            throw new AssertionError(what + " changed");
        }
    }

    static void sameBytes(String what, byte[] before, byte[] after) {
        if (!Arrays.equals(before, after)) {
            throw new AssertionError(what + " changed");
        }
    }
}
