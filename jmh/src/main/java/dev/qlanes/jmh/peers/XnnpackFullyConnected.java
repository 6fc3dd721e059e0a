package dev.qlanes.jmh.peers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * One XNNPACK fully-connected operator ({@code xnn_create_fully_connected_nc_qs8} or {@code _f32}) set up once for
 * a fixed batch on its own native input and output buffers, run single-threaded (no {@code pthreadpool}).
 *
 * <p>Layout as in TFLite and qlanes: weights {@code [units][inputSize]} row-major (XNNPACK's default, no
 * {@code XNN_FLAG_TRANSPOSE_WEIGHTS}), input {@code [batch][inputSize]}, output {@code [batch][units]}.
 *
 * <p>What the two operators compute (the 2022 XNNPACK, on x86-64):
 * <ul>
 *   <li>{@link #qs8}: int8 in, int8 out, int32 bias, symmetric int8 weights with <em>one</em> scale per tensor (this
 *       XNNPACK has no per-channel fully-connected operator). Accumulates
 *       {@code acc = bias[u] + Σ_c w[u][c]·(x[b][c] − inputZeroPoint)} exactly in int32, then requantizes in
 *       {@code float}: {@code out = clamp(rint(fl32(acc) · s) + outputZeroPoint, -128, 127)} with
 *       {@code s = fl32(fl32(inputScale · weightScale) / outputScale)} and round-half-to-even, where TFLite's
 *       reference uses a fixed-point multiplier with round-half-away; so some outputs differ from TFLite by one.</li>
 *   <li>{@link #f32}: float in, float out, float bias: a float GEMM with FMA and XNNPACK's own summation order, so
 *       its results differ from TFLite's reference loop in the last bits.</li>
 * </ul>
 *
 * <p>All the expensive work (packing the weights, allocating the buffers, {@code xnn_setup_*}) happens in the
 * factories; {@link #run()} is one {@code xnn_run_operator} call on whatever {@link #input()} holds, into
 * {@link #output()}. {@link #run(byte[], byte[])} and {@link #run(float[], float[])} copy in and out for callers on
 * the heap. Bad arguments throw before any native call. Not thread-safe; {@link #close()} frees everything.
 */
public final class XnnpackFullyConnected implements AutoCloseable {

    /** Fusing no activation: the whole int8 range. */
    private static final byte QS8_OUTPUT_MIN = Byte.MIN_VALUE;
    private static final byte QS8_OUTPUT_MAX = Byte.MAX_VALUE;
    /** No clamping of float outputs (XNNPACK requires only {@code min < max}). */
    private static final float F32_OUTPUT_MIN = Float.NEGATIVE_INFINITY;
    private static final float F32_OUTPUT_MAX = Float.POSITIVE_INFINITY;
    /** Cache-line alignment for every buffer handed to XNNPACK. */
    private static final long ALIGNMENT = 64;

    private final Arena arena;
    private final MemorySegment operator;
    private final MemorySegment input;
    private final MemorySegment output;
    private final ValueLayout element;
    private final int batch;
    private final int inputSize;
    private final int units;
    private boolean closed;

    private XnnpackFullyConnected(Arena arena, MemorySegment operator, MemorySegment input, MemorySegment output,
            ValueLayout element, int batch, int inputSize, int units) {
        this.arena = arena;
        this.operator = operator;
        this.input = input;
        this.output = output;
        this.element = element;
        this.batch = batch;
        this.inputSize = inputSize;
        this.units = units;
    }

    /**
     * The int8 operator, TFLite's full-integer FULLY_CONNECTED with per-tensor weights and no activation.
     *
     * @param weights         {@code [units][inputSize]} int8, symmetric (zero point 0); packed, not kept
     * @param bias            nullable, {@code [units]} int32 with scale {@code inputScale × weightScale}
     * @param inputScale      finite, {@code > 0}
     * @param inputZeroPoint  in {@code [-128, 127]}
     * @param weightScale     finite, {@code > 0}
     * @param outputScale     finite, {@code > 0}; XNNPACK also wants {@code inputScale·weightScale/outputScale < 256}
     * @param outputZeroPoint in {@code [-128, 127]}
     * @param batch           rows of input per {@link #run()}, {@code >= 1}
     * @throws IllegalArgumentException  for a size, scale or zero point out of range
     * @throws IndexOutOfBoundsException for an array too short for its shape
     * @throws IllegalStateException     when XNNPACK is unavailable or refuses the parameters (its status named)
     */
    public static XnnpackFullyConnected qs8(byte[] weights, int units, int inputSize, int[] bias, float inputScale,
            int inputZeroPoint, float weightScale, float outputScale, int outputZeroPoint, int batch) {
        Objects.requireNonNull(weights, "weights");
        checkShape(units, inputSize, batch);
        checkLength("weights", weights.length, (long) units * inputSize);
        if (bias != null) {
            checkLength("bias", bias.length, units);
        }
        checkScale("inputScale", inputScale);
        checkScale("weightScale", weightScale);
        checkScale("outputScale", outputScale);
        checkZeroPoint("inputZeroPoint", inputZeroPoint);
        checkZeroPoint("outputZeroPoint", outputZeroPoint);
        Xnnpack.Handles h = Xnnpack.handles();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment w = copy(arena, MemorySegment.ofArray(weights), (long) units * inputSize);
            MemorySegment b = bias == null ? MemorySegment.NULL : copy(arena, MemorySegment.ofArray(bias), 4L * units);
            MemorySegment op = arena.allocate(ValueLayout.ADDRESS);
            Xnnpack.check((int) h.createQs8().invokeExact((long) inputSize, (long) units, (long) inputSize,
                    (long) units, (byte) inputZeroPoint, inputScale, weightScale, w, b, (byte) outputZeroPoint,
                    outputScale, QS8_OUTPUT_MIN, QS8_OUTPUT_MAX, 0, op), "xnn_create_fully_connected_nc_qs8");
            return setUp(arena, op.get(ValueLayout.ADDRESS, 0), h.setupQs8(), "xnn_setup_fully_connected_nc_qs8",
                    ValueLayout.JAVA_BYTE, batch, inputSize, units);
        } catch (Throwable t) {
            arena.close();
            throw Xnnpack.rethrow(t);
        }
    }

    /**
     * The float operator: {@code out[b][u] = bias[u] + Σ_c w[u][c]·x[b][c]} in XNNPACK's order, no activation.
     *
     * @param weights {@code [units][inputSize]}; packed, not kept
     * @param bias    nullable, {@code [units]}
     * @param batch   rows of input per {@link #run()}, {@code >= 1}
     * @throws IllegalArgumentException  for a size out of range
     * @throws IndexOutOfBoundsException for an array too short for its shape
     * @throws IllegalStateException     when XNNPACK is unavailable or refuses the parameters (its status named)
     */
    public static XnnpackFullyConnected f32(float[] weights, int units, int inputSize, float[] bias, int batch) {
        Objects.requireNonNull(weights, "weights");
        checkShape(units, inputSize, batch);
        checkLength("weights", weights.length, (long) units * inputSize);
        if (bias != null) {
            checkLength("bias", bias.length, units);
        }
        Xnnpack.Handles h = Xnnpack.handles();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment w = copy(arena, MemorySegment.ofArray(weights), 4L * units * inputSize);
            MemorySegment b = bias == null ? MemorySegment.NULL : copy(arena, MemorySegment.ofArray(bias), 4L * units);
            MemorySegment op = arena.allocate(ValueLayout.ADDRESS);
            Xnnpack.check((int) h.createF32().invokeExact((long) inputSize, (long) units, (long) inputSize,
                    (long) units, w, b, F32_OUTPUT_MIN, F32_OUTPUT_MAX, 0, op), "xnn_create_fully_connected_nc_f32");
            return setUp(arena, op.get(ValueLayout.ADDRESS, 0), h.setupF32(), "xnn_setup_fully_connected_nc_f32",
                    ValueLayout.JAVA_FLOAT, batch, inputSize, units);
        } catch (Throwable t) {
            arena.close();
            throw Xnnpack.rethrow(t);
        }
    }

    /** Allocates the input (with XNNPACK's over-read margin) and output, and binds them to the operator. */
    private static XnnpackFullyConnected setUp(Arena arena, MemorySegment operator, MethodHandle setup,
            String setupName, ValueLayout element, int batch, int inputSize, int units) throws Throwable {
        // From here on the operator exists: it must be deleted if anything else fails.
        XnnpackFullyConnected fc;
        try {
            MemorySegment in = arena.allocate(element.byteSize() * batch * inputSize + Xnnpack.EXTRA_BYTES, ALIGNMENT);
            MemorySegment out = arena.allocate(element.byteSize() * batch * units, ALIGNMENT);
            fc = new XnnpackFullyConnected(arena, operator, in.asSlice(0, element.byteSize() * batch * inputSize),
                    out, element, batch, inputSize, units);
            Xnnpack.check((int) setup.invokeExact(operator, (long) batch, in, out, MemorySegment.NULL), setupName);
        } catch (Throwable t) {
            int ignored = (int) Xnnpack.handles().delete().invokeExact(operator);
            throw t;
        }
        return fc;
    }

    /** One {@code xnn_run_operator} on the current {@link #input()}, into {@link #output()}. */
    public void run() {
        if (closed) {
            throw new IllegalStateException("operator closed");
        }
        int status;
        try {
            status = (int) Xnnpack.handles().run().invokeExact(operator, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Xnnpack.rethrow(t);
        }
        Xnnpack.check(status, "xnn_run_operator");
    }

    /** Copies {@code in} ({@code [batch][inputSize]}) to the input, runs, and copies the output to {@code out}. */
    public void run(byte[] in, byte[] out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        requireElement(ValueLayout.JAVA_BYTE);
        checkLength("in", in.length, (long) batch * inputSize);
        checkLength("out", out.length, (long) batch * units);
        MemorySegment.copy(in, 0, input, ValueLayout.JAVA_BYTE, 0, batch * inputSize);
        run();
        MemorySegment.copy(output, ValueLayout.JAVA_BYTE, 0, out, 0, batch * units);
    }

    /** Copies {@code in} ({@code [batch][inputSize]}) to the input, runs, and copies the output to {@code out}. */
    public void run(float[] in, float[] out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        requireElement(ValueLayout.JAVA_FLOAT);
        checkLength("in", in.length, (long) batch * inputSize);
        checkLength("out", out.length, (long) batch * units);
        MemorySegment.copy(in, 0, input, ValueLayout.JAVA_FLOAT, 0, batch * inputSize);
        run();
        MemorySegment.copy(output, ValueLayout.JAVA_FLOAT, 0, out, 0, batch * units);
    }

    /** The native input, {@code [batch][inputSize]} int8 or float (without the over-read margin). */
    public MemorySegment input() {
        return input;
    }

    /** The native output, {@code [batch][units]} int8 or float. */
    public MemorySegment output() {
        return output;
    }

    public int batch() {
        return batch;
    }

    /** Deletes the operator and frees its buffers; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Xnnpack.check((int) Xnnpack.handles().delete().invokeExact(operator), "xnn_delete_operator");
        } catch (Throwable t) {
            throw Xnnpack.rethrow(t);
        } finally {
            arena.close();
        }
    }

    private void requireElement(ValueLayout expected) {
        if (element.carrier() != expected.carrier()) {
            throw new IllegalArgumentException("this operator takes " + element.carrier() + " arrays, not "
                    + expected.carrier());
        }
    }

    private static MemorySegment copy(Arena arena, MemorySegment from, long bytes) {
        return arena.allocate(bytes, ALIGNMENT).copyFrom(from.asSlice(0, bytes));
    }

    private static void checkShape(int units, int inputSize, int batch) {
        if (units < 1) {
            throw new IllegalArgumentException("units = " + units + ", expected >= 1");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize = " + inputSize + ", expected >= 1");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch = " + batch + ", expected >= 1");
        }
    }

    private static void checkLength(String name, int length, long required) {
        if (length < required) {
            throw new IndexOutOfBoundsException(name + ".length = " + length + ", expected >= " + required);
        }
    }

    private static void checkScale(String name, float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException(name + " = " + scale + ", expected finite and > 0");
        }
    }

    private static void checkZeroPoint(String name, int zeroPoint) {
        if (zeroPoint < Byte.MIN_VALUE || zeroPoint > Byte.MAX_VALUE) {
            throw new IllegalArgumentException(name + " = " + zeroPoint + ", expected in [-128, 127]");
        }
    }

    @Override
    public String toString() {
        return "XNNPACK fully_connected_nc_" + (element.carrier() == byte.class ? "qs8" : "f32") + " " + batch + "x"
                + units + "x" + inputSize;
    }
}
