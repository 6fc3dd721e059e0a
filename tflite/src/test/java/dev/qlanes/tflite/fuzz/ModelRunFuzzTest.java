package dev.qlanes.tflite.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.tflite.TfLiteModel;
import dev.qlanes.tflite.TfLiteRunner;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.internal.GraphPlan;
import dev.qlanes.tflite.internal.OpKernel;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.ModelFormatException;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of opening and running a model ({@code docs/fuzzing.md}). The input is split by
 * {@link RunInput}: a {@code .tflite} file, a batch of 1 to 4, a requantization, and bytes for the inputs. Checked:
 *
 * <ol>
 *   <li>{@link ModelFile#read} and {@link TfLiteModel#read} agree: both reject the file with the same
 *       {@link ModelFormatException} (a message, no cause), or both read it; {@code TfLiteModel.read} may also refuse
 *       it with an {@link UnsupportedModelException} (a message, no cause). An accepted file keeps the reader's
 *       contract ({@link ModelInvariants#checkConsistent}).</li>
 *   <li>{@link TfLiteModel#newRunner} and {@link TfLiteModel#newReferenceRunner} either both refuse the batch with
 *       the same {@link IllegalArgumentException} (with a message), or both build a runner.</li>
 *   <li>Both runners, given the same inputs from the pool, compute the same outputs bit for bit (floats by raw
 *       bits, any NaN equal to any NaN) with the same shapes, and running again gives the same outputs.</li>
 * </ol>
 * Any other exception or error is a finding.
 *
 * <p><b>Size guard.</b> A fuzzed file may legitimately describe a graph far larger than itself (a 100-byte model
 * can declare an input of [1, 500000000] floats, or broadcast two vectors into a matrix). Before building runners
 * the target computes every tensor's shape at the batch (the planner's own {@code GraphPlan.shapes}, which is what
 * {@code newRunner} calls first) and skips, counted, a model whose runner arrays would exceed
 * {@value #MAX_ACTIVATION_BYTES} bytes or whose run would exceed {@value #MAX_WORK} multiply-adds or element
 * operations. A tensor over a Java array's size is not skipped: {@code newRunner} must refuse it with an
 * {@link IllegalArgumentException}.
 */
class ModelRunFuzzTest {
    /** Activation arrays of one runner, FLOAT32 at 4 bytes and INT8 at 1 (two runners exist at once). */
    static final long MAX_ACTIVATION_BYTES = 16L << 20;
    /** Multiply-adds of FULLY_CONNECTED (input elements × units) plus output elements of the other operators. */
    static final long MAX_WORK = 1L << 24;
    /** The largest array {@code GraphPlan} allows (its {@code MAX_ELEMENTS}). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final VarHandle PLAN;

    static {
        try {
            PLAN = MethodHandles.privateLookupIn(TfLiteModel.class, MethodHandles.lookup())
                    .findVarHandle(TfLiteModel.class, "plan", GraphPlan.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final LongAdder EXECUTIONS = new LongAdder();
    static final LongAdder REJECTED = new LongAdder();
    static final LongAdder UNSUPPORTED = new LongAdder();
    static final LongAdder BATCH_REFUSED = new LongAdder();
    static final LongAdder SKIPPED_LARGE = new LongAdder();
    static final LongAdder RAN = new LongAdder();

    @FuzzTest(maxDuration = "60s")
    void run(byte[] data) throws IOException {
        check(RunInput.parse(data), MAX_ACTIVATION_BYTES, MAX_WORK);
    }

    /**
     * The checks above on one model, batch, requantization and pool (also {@link ModelGraphFuzzTest}'s), skipping a
     * runner over {@code maxBytes} of arrays or {@code maxWork} operations.
     */
    static void check(RunInput in, long maxBytes, long maxWork) throws IOException {
        EXECUTIONS.increment();
        MemorySegment file = MemorySegment.ofArray(in.model());

        ModelFile parsed = null;
        ModelFormatException rejection = null;
        try {
            parsed = ModelFile.read(file);
            ModelInvariants.checkConsistent(parsed, file);
        } catch (ModelFormatException e) {
            ModelInvariants.checkRejection(e);
            rejection = e;
        }

        TfLiteModel model;
        try {
            model = TfLiteModel.read(file, in.requantization());
        } catch (UnsupportedModelException e) {
            ModelInvariants.checkUnsupported(e);
            if (parsed == null) {
                throw new AssertionError("ModelFile.read rejected the file (" + rejection.getMessage()
                        + ") but TfLiteModel.read found it well-formed: " + e.getMessage(), e);
            }
            UNSUPPORTED.increment();
            return;
        } catch (ModelFormatException e) {
            ModelInvariants.checkRejection(e);
            if (rejection == null || !rejection.getMessage().equals(e.getMessage())) {
                throw new AssertionError("TfLiteModel.read rejected the file (" + e.getMessage() + ") but ModelFile.read "
                        + (rejection == null ? "accepted it" : "said: " + rejection.getMessage()), e);
            }
            REJECTED.increment();
            return;
        }
        if (parsed == null) {
            throw new AssertionError("TfLiteModel.read accepted what ModelFile.read rejected: " + rejection.getMessage());
        }
        String description = Objects.requireNonNull(model.describe());
        try {
            runners(model, in, maxBytes, maxWork);
        } catch (RuntimeException | AssertionError e) {
            // The model as the runner sees it: a generated or mutated input is unreadable by itself.
            throw new AssertionError(e + "\nbatch " + in.batch() + ", " + description, e);
        }
    }

    private static void runners(TfLiteModel model, RunInput in, long maxBytes, long maxWork) {
        GraphPlan plan = (GraphPlan) PLAN.get(model);
        int batch = in.batch();
        int[][] shapes;
        try {
            shapes = plan.shapes(batch);
        } catch (IllegalArgumentException e) {
            expectRefusal(model, batch, e);
            BATCH_REFUSED.increment();
            return;
        }
        Cost cost = cost(plan, shapes);
        if (cost.oversize()) {
            // No Java array holds that tensor: the runner must say so, not fail on the way.
            if (cost.bytes() > maxBytes) {
                SKIPPED_LARGE.increment();
                return;
            }
            try {
                model.newRunner(batch);
            } catch (IllegalArgumentException e) {
                ModelInvariants.requireMessage(e);
                BATCH_REFUSED.increment();
                return;
            }
            throw new AssertionError("newRunner(" + batch + ") accepted a tensor of more elements than an array "
                    + "holds: " + Arrays.deepToString(shapes));
        }
        if (cost.bytes() > maxBytes || cost.work() > maxWork) {
            SKIPPED_LARGE.increment();
            return;
        }

        TfLiteRunner fast = model.newRunner(batch);
        TfLiteRunner reference = model.newReferenceRunner(batch);
        fill(in, fast, reference);
        fast.run();
        reference.run();
        Object[] first = outputs(fast);
        assertSame(outputs(reference), first, "qlanes runner against the reference runner");
        fast.run();
        assertSame(first, outputs(fast), "a second run on the same inputs");
        RAN.increment();
    }

    /** shapes(batch) refused the batch: both runners must refuse it the same way. */
    private static void expectRefusal(TfLiteModel model, int batch, IllegalArgumentException expected) {
        ModelInvariants.requireMessage(expected);
        for (boolean reference : new boolean[] {false, true}) {
            try {
                TfLiteRunner r = reference ? model.newReferenceRunner(batch) : model.newRunner(batch);
                throw new AssertionError((reference ? "newReferenceRunner" : "newRunner") + "(" + batch
                        + ") built a runner for a batch the plan refuses: " + expected.getMessage() + " " + r);
            } catch (IllegalArgumentException e) {
                if (!expected.getMessage().equals(e.getMessage())) {
                    throw new AssertionError("two refusals of one batch differ: " + expected.getMessage() + " / "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private record Cost(long bytes, long work, boolean oversize) {
    }

    /** What a runner of these shapes allocates and computes (an upper bound; constants consumed at open count too). */
    private static Cost cost(GraphPlan plan, int[][] shapes) {
        List<TensorInfo> tensors = plan.tensors();
        BitSet used = new BitSet(tensors.size());
        for (int t : plan.inputs()) {
            used.set(t);
        }
        for (int t : plan.outputs()) {
            used.set(t);
        }
        long work = 0;
        for (OpKernel k : plan.kernels()) {
            OperatorInfo op = k.operator();
            for (int t : op.inputs()) {
                if (t >= 0) {
                    used.set(t);
                }
            }
            for (int t : op.outputs()) {
                used.set(t);
            }
            long w = op.op() == BuiltinOperator.FULLY_CONNECTED
                    ? saturatingMultiply(elements(shapes[op.input(0)]), tensors.get(op.input(1)).dim(0))
                    : elements(shapes[op.output(0)]);
            work = saturatingAdd(work, w);
        }
        long bytes = 0;
        boolean oversize = false;
        for (int t = used.nextSetBit(0); t >= 0; t = used.nextSetBit(t + 1)) {
            TensorType type = tensors.get(t).type();
            int size = type == TensorType.FLOAT32 ? 4 : type == TensorType.INT8 ? 1 : 0;
            long n = elements(shapes[t]);
            if (size == 0) {
                continue;
            }
            if (n > MAX_ELEMENTS) {
                oversize = true;
            } else {
                bytes = saturatingAdd(bytes, n * size);
            }
        }
        return new Cost(bytes, work, oversize);
    }

    private static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = saturatingMultiply(n, d);
        }
        return n;
    }

    private static long saturatingMultiply(long a, long b) {
        long r = a * b;
        return (Math.abs(a) | Math.abs(b)) >>> 31 != 0 && b != 0 && r / b != a ? Long.MAX_VALUE : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** The same values from the pool into both runners. */
    private static void fill(RunInput in, TfLiteRunner a, TfLiteRunner b) {
        RunInput.Values values = new RunInput.Values(in.pool());
        for (int i = 0; i < a.inputCount(); i++) {
            int n = Math.toIntExact(elements(a.inputShape(i)));
            if (a.inputType(i) == TensorType.FLOAT32) {
                float[] x = new float[n];
                for (int k = 0; k < n; k++) {
                    x[k] = values.nextFloat(in.rawFloats());
                }
                a.setInput(i, x);
                b.setInput(i, x);
            } else {
                byte[] x = new byte[n];
                for (int k = 0; k < n; k++) {
                    x[k] = values.nextByte();
                }
                a.setInput(i, x);
                b.setInput(i, x);
            }
        }
    }

    /** Each output as a copied array (float[] or byte[]), followed by its shape. */
    private static Object[] outputs(TfLiteRunner r) {
        Object[] out = new Object[2 * r.outputCount()];
        for (int i = 0; i < r.outputCount(); i++) {
            int[] shape = r.outputShape(i);
            int n = Math.toIntExact(elements(shape));
            if (r.outputType(i) == TensorType.FLOAT32) {
                float[] y = new float[n];
                r.getOutput(i, y);
                out[2 * i] = y;
            } else {
                byte[] y = new byte[n];
                r.getOutput(i, y);
                out[2 * i] = y;
            }
            out[2 * i + 1] = shape;
        }
        return out;
    }

    private static void assertSame(Object[] expected, Object[] actual, String what) {
        for (int i = 0; i < expected.length; i += 2) {
            if (!Arrays.equals((int[]) expected[i + 1], (int[]) actual[i + 1])) {
                throw new AssertionError(what + ": output " + i / 2 + " has shape " + Arrays.toString(
                        (int[]) actual[i + 1]) + ", expected " + Arrays.toString((int[]) expected[i + 1]));
            }
            if (expected[i] instanceof float[] e) {
                float[] a = (float[]) actual[i];
                for (int k = 0; k < e.length; k++) {
                    // Raw bits, except that a NaN equals any NaN: the JVM keeps NaN payloads differently in the
                    // interpreter and in compiled code (docs/fuzzing.md), even within one method.
                    if (Float.floatToRawIntBits(e[k]) != Float.floatToRawIntBits(a[k])
                            && !(Float.isNaN(e[k]) && Float.isNaN(a[k]))) {
                        throw new AssertionError(String.format("%s: output %d element %d is %s (0x%08x), expected "
                                + "%s (0x%08x)", what, i / 2, k, a[k], Float.floatToRawIntBits(a[k]), e[k],
                                Float.floatToRawIntBits(e[k])));
                    }
                }
            } else {
                byte[] e = (byte[]) expected[i];
                int k = Arrays.mismatch(e, (byte[]) actual[i]);
                if (k >= 0) {
                    throw new AssertionError(what + ": output " + i / 2 + " element " + k + " is "
                            + ((byte[]) actual[i])[k] + ", expected " + e[k]);
                }
            }
        }
    }

    @AfterAll
    static void report() {
        report("ModelRunFuzzTest.run");
    }

    static void report(String target) {
        System.out.printf("%s: %d inputs: %d rejected, %d unsupported, %d batch refused, "
                + "%d skipped as too large, %d ran and compared%n", target, EXECUTIONS.sum(), REJECTED.sum(),
                UNSUPPORTED.sum(), BATCH_REFUSED.sum(), SKIPPED_LARGE.sum(), RAN.sum());
    }
}
