package dev.qlanes.jmh.peers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Single-node ONNX models for the ONNX Runtime peer, serialized as protobuf bytes by hand (no protobuf
 * dependency): a minimal wire-format writer ({@link ProtoWriter}) and just enough of {@code onnx.proto}'s
 * {@code ModelProto} to describe one node, its constant initializers and its typed, fixed-shape graph input
 * and output.
 *
 * <p>Weights come in qlanes' (TFLite's) layout, row-major {@code [rows][cols]}: {@code rows} output channels
 * (ONNX's {@code N}) of {@code cols} inputs each (ONNX's {@code K}). ONNX's {@code MatMul}-style operators
 * compute {@code Y[batch][N] = A[batch][K] · B[K][N]}, so the initializer {@code B} is the transpose of the
 * weights; {@link #transpose} builds it.
 *
 * <p>Initializers are not listed as graph inputs (IR ≥ 4 allows this), so ONNX Runtime treats them as
 * constants and pre-packs {@code B} once at session creation.
 *
 * <p>Versions: IR {@value #IR_VERSION}, default-domain opset {@value #ONNX_OPSET} ({@code MatMulInteger} is
 * opset 10 and unchanged since), {@value #MS_DOMAIN} opset {@value #MS_OPSET}; all accepted by ONNX Runtime
 * 1.29.
 */
public final class OnnxModels {

    /** ONNX IR version written into every model (IR 8 = ONNX 1.10). */
    public static final long IR_VERSION = 8;
    /** Opset of the default ONNX domain. */
    public static final long ONNX_OPSET = 15;
    /** Domain of ONNX Runtime's contrib operators such as {@code DynamicQuantizeMatMul}. */
    public static final String MS_DOMAIN = "com.microsoft";
    /** Opset of {@link #MS_DOMAIN}. */
    public static final long MS_OPSET = 1;

    /** Name of every model's single graph input (the activations, {@code [batch][cols]}). */
    public static final String INPUT = "A";
    /** Name of every model's single graph output ({@code [batch][rows]}). */
    public static final String OUTPUT = "Y";

    // onnx.proto TensorProto.DataType values used here.
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;

    private OnnxModels() {}

    /**
     * The operand types of {@code MatMulInteger}: activations × weights. The product is the same for all three
     * (unsigned operands hold {@code v + 128} with a zero point of 128); the types select ONNX Runtime's kernels.
     */
    public enum Operands {
        /** int8 × int8, no zero points. */
        S8S8,
        /** uint8 ({@code a + 128}, zero point 128) × int8 (zero point 0). */
        U8S8,
        /** uint8 ({@code a + 128}, zero point 128) × uint8 ({@code w + 128}, zero point 128). */
        U8U8
    }

    /**
     * {@code MatMulInteger} with an int8 input {@code A [batch][cols]}, the int8 weights as initializer
     * {@code B [cols][rows]} and no zero points: {@code Y[b][r] = Σ_c A[b][c] · W[r][c]} as int32.
     */
    public static byte[] matMulInteger(byte[] weights, int rows, int cols, int batch) {
        return matMulInteger(weights, rows, cols, batch, Operands.S8S8, false);
    }

    /**
     * {@code MatMulInteger} producing {@code Y[b][r] = Σ_c a[b][c] · W[r][c]} (int32, exact in ONNX semantics)
     * for int8 activations {@code a}, fed as graph input {@code A [batch][cols]} of the input type of
     * {@code operands}.
     *
     * @param weights            int8 weights, row-major {@code [rows][cols]}
     * @param operands           operand types; unsigned ones get constant zero points of 128
     * @param explicitZeroPoints for {@link Operands#S8S8}: if true, {@code a_zero_point} and {@code b_zero_point}
     *                           are given as constant int8 scalars of 0, else both are omitted. The unsigned
     *                           variants always have both.
     */
    public static byte[] matMulInteger(byte[] weights, int rows, int cols, int batch, Operands operands,
            boolean explicitZeroPoints) {
        checkShape(weights, rows, cols, batch);
        boolean unsignedInput = operands != Operands.S8S8;
        boolean unsignedWeights = operands == Operands.U8U8;
        int inputType = unsignedInput ? UINT8 : INT8;
        byte[][] initializers;
        String[] inputs;
        if (unsignedInput || explicitZeroPoints) {
            initializers = new byte[][] {
                weightInitializer(weights, rows, cols, unsignedWeights),
                zeroPoint("a_zero_point", unsignedInput, new long[0]),
                zeroPoint("b_zero_point", unsignedWeights, new long[0])};
            inputs = new String[] {INPUT, "B", "a_zero_point", "b_zero_point"};
        } else {
            initializers = new byte[][] {weightInitializer(weights, rows, cols, false)};
            inputs = new String[] {INPUT, "B"};
        }
        byte[] graph = graph("qlanes_matmul_integer",
                node("MatMulInteger", "", inputs),
                initializers,
                valueInfo(INPUT, inputType, batch, cols),
                valueInfo(OUTPUT, INT32, batch, rows));
        return model(graph, false);
    }

    /**
     * ONNX Runtime's contrib {@code DynamicQuantizeMatMul} ({@value #MS_DOMAIN}), int8 weights without a zero
     * point; see {@link #dynamicQuantizeMatMul(byte[], int, int, int, float[], boolean, boolean)}.
     */
    public static byte[] dynamicQuantizeMatMul(byte[] weights, int rows, int cols, int batch, float[] scales) {
        return dynamicQuantizeMatMul(weights, rows, cols, batch, scales, false, false);
    }

    /**
     * ONNX Runtime's contrib {@code DynamicQuantizeMatMul} ({@value #MS_DOMAIN}): float input
     * {@code A [batch][cols]} quantized at run time, the weights as initializer {@code B [cols][rows]}, float
     * output {@code Y[b][r] ≈ Σ_c A[b][c] · scale[r] · W[r][c]}.
     *
     * @param weights           int8 weights, row-major {@code [rows][cols]}
     * @param scales            weight scales: one (per-tensor, written as a scalar) or {@code rows} (per output
     *                          channel, written as a 1-D {@code [rows]} tensor)
     * @param unsignedWeights   if true, {@code B} is uint8 holding {@code w + 128} with a {@code b_zero_point}
     *                          of 128 (same result; selects ONNX Runtime's u8×u8 kernels instead of u8×s8)
     * @param explicitZeroPoint for int8 weights: if true, {@code b_zero_point} is given as a constant 0; else it
     *                          is omitted. Zero points have the shape of {@code scales}.
     */
    public static byte[] dynamicQuantizeMatMul(byte[] weights, int rows, int cols, int batch, float[] scales,
            boolean unsignedWeights, boolean explicitZeroPoint) {
        checkShape(weights, rows, cols, batch);
        if (scales.length != 1 && scales.length != rows) {
            throw new IllegalArgumentException("scales.length = " + scales.length + ", expected 1 or rows = " + rows);
        }
        long[] scaleDims = scales.length == 1 ? new long[0] : new long[] {rows};
        ByteBuffer scaleBytes = ByteBuffer.allocate(4 * scales.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : scales) {
            scaleBytes.putFloat(s);
        }
        byte[] b = weightInitializer(weights, rows, cols, unsignedWeights);
        byte[] bScale = tensor("b_scale", FLOAT, scaleDims, scaleBytes.array());
        byte[][] initializers;
        String[] inputs;
        if (unsignedWeights || explicitZeroPoint) {
            initializers = new byte[][] {b, bScale, zeroPoint("b_zero_point", unsignedWeights, scaleDims)};
            inputs = new String[] {INPUT, "B", "b_scale", "b_zero_point"};
        } else {
            initializers = new byte[][] {b, bScale};
            inputs = new String[] {INPUT, "B", "b_scale"};
        }
        byte[] graph = graph("qlanes_dynamic_quantize_matmul",
                node("DynamicQuantizeMatMul", MS_DOMAIN, inputs),
                initializers,
                valueInfo(INPUT, FLOAT, batch, cols),
                valueInfo(OUTPUT, FLOAT, batch, rows));
        return model(graph, true);
    }

    /** Initializer {@code B [cols][rows]}: the transposed weights, int8 or shifted to uint8 ({@code w + 128}). */
    private static byte[] weightInitializer(byte[] weights, int rows, int cols, boolean unsigned) {
        byte[] b = transpose(weights, rows, cols);
        if (unsigned) {
            for (int i = 0; i < b.length; i++) {
                b[i] ^= (byte) 0x80; // two's complement int8 w → uint8 w + 128
            }
        }
        return tensor("B", unsigned ? UINT8 : INT8, new long[] {cols, rows}, b);
    }

    /** A constant zero point filled with 128 (uint8) or 0 (int8); {@code dims} empty for a scalar. */
    private static byte[] zeroPoint(String name, boolean unsigned, long[] dims) {
        int n = dims.length == 0 ? 1 : Math.toIntExact(dims[0]);
        byte[] raw = new byte[n];
        if (unsigned) {
            Arrays.fill(raw, (byte) 128);
        }
        return tensor(name, unsigned ? UINT8 : INT8, dims, raw);
    }

    /** Transposes a row-major {@code [rows][cols]} matrix into a row-major {@code [cols][rows]} one. */
    public static byte[] transpose(byte[] matrix, int rows, int cols) {
        byte[] t = new byte[matrix.length];
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = matrix[from + c];
            }
        }
        return t;
    }

    private static void checkShape(byte[] weights, int rows, int cols, int batch) {
        if (rows <= 0 || cols <= 0 || batch <= 0) {
            throw new IllegalArgumentException(
                    "rows, cols, batch must be positive: " + rows + ", " + cols + ", " + batch);
        }
        if (weights.length != (long) rows * cols) {
            throw new IllegalArgumentException("weights.length = " + weights.length + ", expected rows*cols = "
                    + (long) rows * cols);
        }
    }

    // ---- onnx.proto messages (field numbers as in onnx/onnx.proto) ----

    /** ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8. */
    private static byte[] model(byte[] graph, boolean withMsDomain) {
        ProtoWriter m = new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "qlanes")
                .bytes(7, graph)
                .bytes(8, opset("", ONNX_OPSET));
        if (withMsDomain) {
            m.bytes(8, opset(MS_DOMAIN, MS_OPSET));
        }
        return m.toByteArray();
    }

    /** OperatorSetIdProto: domain = 1, version = 2. */
    private static byte[] opset(String domain, long version) {
        ProtoWriter o = new ProtoWriter();
        if (!domain.isEmpty()) {
            o.string(1, domain);
        }
        return o.int64(2, version).toByteArray();
    }

    /** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
    private static byte[] graph(String name, byte[] node, byte[][] initializers, byte[] input, byte[] output) {
        ProtoWriter g = new ProtoWriter().bytes(1, node).string(2, name);
        for (byte[] initializer : initializers) {
            g.bytes(5, initializer);
        }
        return g.bytes(11, input).bytes(12, output).toByteArray();
    }

    /** NodeProto: input = 1, output = 2 ({@link #OUTPUT}), name = 3, op_type = 4, domain = 7. */
    private static byte[] node(String opType, String domain, String[] inputs) {
        ProtoWriter n = new ProtoWriter();
        for (String input : inputs) {
            n.string(1, input);
        }
        n.string(2, OUTPUT).string(3, opType.toLowerCase()).string(4, opType);
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        return n.toByteArray();
    }

    /**
     * TensorProto: dims = 1 (packed), data_type = 2, name = 8, raw_data = 9 (little-endian, fixed width).
     * A tensor without dims is a scalar.
     */
    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        if (dims.length > 0) {
            t.packedInt64(1, dims);
        }
        return t.int64(2, dataType).string(8, name).bytes(9, raw).toByteArray();
    }

    /**
     * ValueInfoProto (name = 1, type = 2) of a tensor with fixed dims: TypeProto.tensor_type = 1 →
     * TypeProto.Tensor (elem_type = 1, shape = 2) → TensorShapeProto (dim = 1) → Dimension (dim_value = 1).
     */
    private static byte[] valueInfo(String name, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.bytes(1, new ProtoWriter().int64(1, d).toByteArray());
        }
        byte[] tensorType = new ProtoWriter().int64(1, elemType).bytes(2, shape.toByteArray()).toByteArray();
        byte[] type = new ProtoWriter().bytes(1, tensorType).toByteArray();
        return new ProtoWriter().string(1, name).bytes(2, type).toByteArray();
    }

    /**
     * A minimal protobuf wire-format writer: varint (wire type 0) and length-delimited (wire type 2) fields,
     * which is all {@code onnx.proto} needs when tensor data goes into {@code raw_data}. Nested messages are
     * written to their own writer and embedded as bytes.
     */
    static final class ProtoWriter {
        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;

        private byte[] buf = new byte[32];
        private int size;

        /** A varint field: {@code int32}, {@code int64}, {@code uint64}, {@code bool} or an enum. */
        ProtoWriter int64(int field, long value) {
            key(field, VARINT);
            varint(value);
            return this;
        }

        /** A length-delimited field: {@code bytes} or an embedded message. */
        ProtoWriter bytes(int field, byte[] value) {
            key(field, LENGTH_DELIMITED);
            varint(value.length);
            write(value, 0, value.length);
            return this;
        }

        /** A {@code string} field, UTF-8. */
        ProtoWriter string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        /** A packed {@code repeated int64} field: one length-delimited run of varints. */
        ProtoWriter packedInt64(int field, long... values) {
            ProtoWriter run = new ProtoWriter();
            for (long v : values) {
                run.varint(v);
            }
            return bytes(field, run.toByteArray());
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        private void key(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        /** Base-128, least significant group first; negative values take ten bytes (two's complement). */
        void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                writeByte((byte) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            writeByte((byte) value);
        }

        private void writeByte(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        private void write(byte[] src, int offset, int length) {
            ensure(length);
            System.arraycopy(src, offset, buf, size, length);
            size += length;
        }

        private void ensure(int extra) {
            long needed = (long) size + extra;
            if (needed > buf.length) {
                if (needed > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("protobuf message over 2 GiB");
                }
                buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * buf.length)));
            }
        }
    }
}
