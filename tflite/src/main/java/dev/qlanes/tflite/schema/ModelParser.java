package dev.qlanes.tflite.schema;

import dev.qlanes.tflite.schema.FlatBuffer.Table;
import dev.qlanes.tflite.schema.FlatBuffer.Vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and validates a TFLite model (schema version 3) from a {@link FlatBuffer}. Field slots are the order of
 * the fields in TFLite's {@code schema.fbs}; a union takes two slots (its type, then its value). Every check says
 * in its message what TFLite's interpreter would reject, or why this reader is stricter.
 */
final class ModelParser {
    /** {@code TFLITE_SCHEMA_VERSION}: TFLite's interpreter rejects every other version. */
    static final int SCHEMA_VERSION = 3;
    static final String FILE_IDENTIFIER = "TFL3";
    /** Root offset and file identifier. */
    private static final int MIN_FILE_SIZE = 8;

    // Model
    private static final int MODEL_VERSION = 0;
    private static final int MODEL_OPERATOR_CODES = 1;
    private static final int MODEL_SUBGRAPHS = 2;
    private static final int MODEL_DESCRIPTION = 3;
    private static final int MODEL_BUFFERS = 4;
    // OperatorCode
    private static final int OPCODE_DEPRECATED_BUILTIN_CODE = 0;
    private static final int OPCODE_CUSTOM_CODE = 1;
    private static final int OPCODE_BUILTIN_CODE = 3;
    // SubGraph
    private static final int SUBGRAPH_TENSORS = 0;
    private static final int SUBGRAPH_INPUTS = 1;
    private static final int SUBGRAPH_OUTPUTS = 2;
    private static final int SUBGRAPH_OPERATORS = 3;
    // Buffer
    private static final int BUFFER_DATA = 0;
    private static final int BUFFER_OFFSET = 1;
    private static final int BUFFER_SIZE = 2;
    // Tensor
    private static final int TENSOR_SHAPE = 0;
    private static final int TENSOR_TYPE = 1;
    private static final int TENSOR_BUFFER = 2;
    private static final int TENSOR_NAME = 3;
    private static final int TENSOR_QUANTIZATION = 4;
    private static final int TENSOR_IS_VARIABLE = 5;
    private static final int TENSOR_SPARSITY = 6;
    private static final int TENSOR_SHAPE_SIGNATURE = 7;
    private static final int TENSOR_EXTERNAL_BUFFER = 10;
    // QuantizationParameters
    private static final int QUANT_SCALE = 2;
    private static final int QUANT_ZERO_POINT = 3;
    private static final int QUANT_DETAILS_TYPE = 4;
    private static final int QUANT_QUANTIZED_DIMENSION = 6;
    // Operator
    private static final int OP_OPCODE_INDEX = 0;
    private static final int OP_INPUTS = 1;
    private static final int OP_OUTPUTS = 2;
    private static final int OP_BUILTIN_OPTIONS_TYPE = 3;
    private static final int OP_BUILTIN_OPTIONS = 4;
    private static final int OP_CUSTOM_OPTIONS = 5;
    private static final int OP_LARGE_CUSTOM_OPTIONS_OFFSET = 9;
    private static final int OP_LARGE_CUSTOM_OPTIONS_SIZE = 10;
    // BuiltinOptions union: member index (1-based, 0 = NONE) of the options decoded here
    private static final int OPTIONS_FULLY_CONNECTED = 8;
    private static final int OPTIONS_SOFTMAX = 9;
    private static final int OPTIONS_ADD = 11;
    private static final int OPTIONS_RESHAPE = 17;
    private static final int OPTIONS_MUL = 21;

    /**
     * An offset field {@code > 1} means the data lies outside the FlatBuffer, at that offset from the file's start
     * (0 is unset, 1 a converter's placeholder): {@code Buffer.offset}, {@code Operator.large_custom_options_offset}.
     */
    private static final long EXTERNAL_OFFSET_MIN = 2;

    /**
     * What decoding may allocate, in estimated bytes: a fixed allowance plus a multiple of the file's size, capped.
     * A converter's file decodes to far less than its size; only a file whose tables share one large vector or
     * table from many references (legal FlatBuffers, never written by a converter) gets near it. Charging every
     * decoded object also bounds the reader's work on such a file.
     */
    private static final long BUDGET_BASE = 32L << 20;
    private static final long BUDGET_PER_FILE_BYTE = 8;
    private static final long BUDGET_CAP = 512L << 20;
    /** Estimated heap bytes of a decoded object beside its arrays (header, fields, list slot). */
    private static final long OBJECT_COST = 64;

    private final FlatBuffer fb;
    private long budget;
    private final long initialBudget;

    private ModelParser(MemorySegment bytes) {
        this.fb = new FlatBuffer(bytes);
        long size = fb.size;
        this.initialBudget = Math.min(BUDGET_CAP,
                BUDGET_BASE + (size > BUDGET_CAP / BUDGET_PER_FILE_BYTE ? BUDGET_CAP : size * BUDGET_PER_FILE_BYTE));
        this.budget = initialBudget;
    }

    /** The parsed main subgraph and model facts, before {@link ModelFile} wraps them with their memory. */
    record Parsed(int version, String description, List<TensorInfo> tensors, List<OperatorInfo> operators,
                  int[] inputs, int[] outputs, int subgraphCount) {
    }

    private record OpCode(BuiltinOperator op, String customCode) {
    }

    private record Subgraph(List<TensorInfo> tensors, List<OperatorInfo> operators, int[] inputs, int[] outputs) {
    }

    static Parsed parse(MemorySegment bytes) throws ModelFormatException {
        return new ModelParser(bytes).parse();
    }

    private void charge(long bytes, String where) throws ModelFormatException {
        if (bytes < 0 || bytes > budget) {
            throw new ModelFormatException(where + ": decoding the model would take more than "
                    + (initialBudget >> 20) + " MiB for a file of " + fb.size + " bytes (tables or vectors shared by"
                    + " many references?)");
        }
        budget -= bytes;
    }

    private Parsed parse() throws ModelFormatException {
        if (fb.size < MIN_FILE_SIZE) {
            throw new ModelFormatException("file of " + fb.size + " bytes is too short for a TFLite model (at least "
                    + MIN_FILE_SIZE + ": root offset and file identifier)");
        }
        byte[] id = fb.bytes.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(id, FILE_IDENTIFIER.getBytes(StandardCharsets.US_ASCII))) {
            throw new ModelFormatException("file identifier is " + printable(id) + ", expected '" + FILE_IDENTIFIER
                    + "': not a TFLite model");
        }
        Table model = fb.root("model");
        long version = model.u32(MODEL_VERSION, "version", 0);
        if (version != SCHEMA_VERSION) {
            throw new ModelFormatException("model: schema version " + version + ", this reader (like TFLite) accepts "
                    + SCHEMA_VERSION + " only");
        }
        String description = string(model, MODEL_DESCRIPTION, "description", "model");
        OpCode[] opCodes = operatorCodes(model);
        MemorySegment[] buffers = buffers(model);

        Vector subgraphs = model.vector(MODEL_SUBGRAPHS, 4, "subgraphs");
        if (subgraphs == null || subgraphs.count() == 0) {
            throw new ModelFormatException("model: no subgraphs");
        }
        charge(subgraphs.count() * OBJECT_COST, "model, subgraphs");
        Subgraph main = null;
        for (long s = 0; s < subgraphs.count(); s++) {
            // Every subgraph is validated (control-flow operators call them); only the main one is kept.
            Subgraph sg = subgraph((int) s, fb.tableAt(subgraphs, s, "subgraph " + s), opCodes, buffers);
            if (s == 0) {
                main = sg;
            }
        }
        return new Parsed(SCHEMA_VERSION, description, main.tensors(), main.operators(), main.inputs(),
                main.outputs(), (int) subgraphs.count());
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("'");
        for (byte x : b) {
            s.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return s.append('\'').toString();
    }

    private OpCode[] operatorCodes(Table model) throws ModelFormatException {
        Vector v = model.vector(MODEL_OPERATOR_CODES, 4, "operator_codes");
        if (v == null) {
            return new OpCode[0];
        }
        charge(v.count() * OBJECT_COST, "model, operator_codes");
        OpCode[] codes = new OpCode[(int) v.count()];
        for (int i = 0; i < codes.length; i++) {
            String where = "operator_codes[" + i + "]";
            Table t = fb.tableAt(v, i, where);
            int deprecated = t.i8(OPCODE_DEPRECATED_BUILTIN_CODE, "deprecated_builtin_code", 0);
            int extended = t.i32(OPCODE_BUILTIN_CODE, "builtin_code", 0);
            // TFLite's GetBuiltinCode: the byte field serves codes below 127, the int field all of them.
            int code = Math.max(deprecated, extended);
            BuiltinOperator op;
            try {
                op = BuiltinOperator.of(code);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(where + ": " + e.getMessage() + " (deprecated_builtin_code "
                        + deprecated + ", builtin_code " + extended + ")");
            }
            String custom = string(t, OPCODE_CUSTOM_CODE, "custom_code", where);
            if (op == BuiltinOperator.CUSTOM && (custom == null || custom.isEmpty())) {
                throw new ModelFormatException(where + ": CUSTOM operator without a custom_code");
            }
            codes[i] = new OpCode(op, op == BuiltinOperator.CUSTOM ? custom : null);
        }
        return codes;
    }

    private MemorySegment[] buffers(Table model) throws ModelFormatException {
        Vector v = model.vector(MODEL_BUFFERS, 4, "buffers");
        if (v == null) {
            throw new ModelFormatException("model: no buffers vector (TFLite requires one, with the empty buffer 0)");
        }
        charge(v.count() * OBJECT_COST, "model, buffers");
        MemorySegment[] buffers = new MemorySegment[(int) v.count()];
        for (int i = 0; i < buffers.length; i++) {
            String where = "buffers[" + i + "]";
            Table b = fb.tableAt(v, i, where);
            Vector data = b.vector(BUFFER_DATA, 1, "data");
            long offset = b.u64(BUFFER_OFFSET, "offset", 0);
            if (Long.compareUnsigned(offset, EXTERNAL_OFFSET_MIN) >= 0) {
                long size = b.u64(BUFFER_SIZE, "size", 0);
                if (data != null && data.count() > 0) {
                    throw new ModelFormatException(where + ": both " + data.count()
                            + " bytes of inline data and an offset (" + Long.toUnsignedString(offset) + ") after the"
                            + " FlatBuffer");
                }
                buffers[i] = external(offset, size, where);
            } else if (data != null && data.count() > 0) {
                buffers[i] = fb.bytes.asSlice(data.start(), data.count());
            }
        }
        return buffers;
    }

    private MemorySegment external(long offset, long size, String where) throws ModelFormatException {
        if (offset < 0 || size < 0 || !fb.contains(offset, size)) {
            throw new ModelFormatException(where + ": " + Long.toUnsignedString(size) + " bytes at offset "
                    + Long.toUnsignedString(offset) + " lie outside the file (" + fb.size + " bytes)");
        }
        return size == 0 ? null : fb.bytes.asSlice(offset, size);
    }

    private Subgraph subgraph(int s, Table sg, OpCode[] opCodes, MemorySegment[] buffers)
            throws ModelFormatException {
        String prefix = s == 0 ? "" : "subgraph " + s + ", ";
        Vector tv = sg.vector(SUBGRAPH_TENSORS, 4, "tensors");
        if (tv == null) {
            throw new ModelFormatException("subgraph " + s + ": no tensors vector");
        }
        charge(tv.count() * OBJECT_COST, "subgraph " + s + ", tensors");
        int tensorCount = (int) tv.count();
        List<TensorInfo> tensors = new ArrayList<>(tensorCount);
        for (int i = 0; i < tensorCount; i++) {
            tensors.add(tensor(i, fb.tableAt(tv, i, prefix + "tensor " + i), buffers, prefix));
        }
        int[] inputs = ints(sg, SUBGRAPH_INPUTS, "inputs", "subgraph " + s);
        int[] outputs = ints(sg, SUBGRAPH_OUTPUTS, "outputs", "subgraph " + s);
        checkTensorIndices(inputs, tensorCount, false, "subgraph " + s + ": input");
        checkTensorIndices(outputs, tensorCount, false, "subgraph " + s + ": output");

        Vector ov = sg.vector(SUBGRAPH_OPERATORS, 4, "operators");
        long operatorCount = ov == null ? 0 : ov.count();
        charge(operatorCount * OBJECT_COST, "subgraph " + s + ", operators");
        List<OperatorInfo> operators = new ArrayList<>((int) operatorCount);
        for (int k = 0; k < operatorCount; k++) {
            operators.add(operator(k, fb.tableAt(ov, k, prefix + "operator " + k), opCodes, tensorCount, prefix));
        }
        return new Subgraph(List.copyOf(tensors), List.copyOf(operators), inputs, outputs);
    }

    private static void checkTensorIndices(int[] indices, int tensorCount, boolean optionalAllowed, String what)
            throws ModelFormatException {
        for (int i = 0; i < indices.length; i++) {
            int t = indices[i];
            if (t >= tensorCount || t < (optionalAllowed ? -1 : 0)) {
                throw new ModelFormatException(what + " " + i + " is tensor " + t + ", but the subgraph has "
                        + tensorCount + " tensors" + (optionalAllowed && t < -1 ? " (-1 marks an absent optional input)"
                        : ""));
            }
        }
    }

    private TensorInfo tensor(int index, Table t, MemorySegment[] buffers, String prefix)
            throws ModelFormatException {
        String name = string(t, TENSOR_NAME, "name", prefix + "tensor " + index);
        if (name == null) {
            name = "";
        }
        String where = prefix + "tensor " + index + " '" + name + "'";
        t = t.as(where);
        int[] shape = ints(t, TENSOR_SHAPE, "shape", where);
        for (int d : shape) {
            if (d < 0) {
                throw new ModelFormatException(where + ": shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
        }
        long count = TensorInfo.elementCount(shape);
        if (count < 0) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape)
                    + " has more than 2^63 - 1 elements");
        }
        int typeCode = t.i8(TENSOR_TYPE, "type", 0);
        TensorType type;
        try {
            type = TensorType.of(typeCode);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        int[] signature = t.has(TENSOR_SHAPE_SIGNATURE, "shape_signature")
                ? ints(t, TENSOR_SHAPE_SIGNATURE, "shape_signature", where) : null;
        if (signature != null) {
            if (signature.length != shape.length) {
                throw new ModelFormatException(where + ": shape_signature " + Arrays.toString(signature)
                        + " has rank " + signature.length + ", shape " + Arrays.toString(shape) + " rank "
                        + shape.length);
            }
            for (int d : signature) {
                if (d < -1) {
                    throw new ModelFormatException(where + ": shape_signature " + Arrays.toString(signature)
                            + " has a dimension below -1 (-1 marks an unknown dimension)");
                }
            }
        }
        long external = t.u32(TENSOR_EXTERNAL_BUFFER, "external_buffer", 0);
        if (external != 0) {
            throw new ModelFormatException(where + ": data in an external file (external_buffer " + external
                    + ") is not supported");
        }
        long bufferIndex = t.u32(TENSOR_BUFFER, "buffer", 0);
        if (bufferIndex >= buffers.length) {
            throw new ModelFormatException(where + ": buffer " + bufferIndex + " is out of range (the model has "
                    + buffers.length + " buffers)");
        }
        MemorySegment data = bufferIndex == 0 ? null : buffers[(int) bufferIndex];
        boolean variable = t.bool(TENSOR_IS_VARIABLE, "is_variable");
        if (data != null) {
            if (variable) {
                throw new ModelFormatException(where + ": a variable tensor with constant data (buffer "
                        + bufferIndex + "); TFLite does not support it");
            }
            if (t.has(TENSOR_SPARSITY, "sparsity")) {
                throw new ModelFormatException(where + ": sparse constant data is not supported");
            }
            if (type.hasFixedSize()) {
                long needed;
                try {
                    needed = type.byteSize(count);
                } catch (ArithmeticException e) {
                    throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " of " + type
                            + " needs more than 2^63 - 1 bytes");
                }
                // TFLite's SetTensorParametersReadOnly requires exactly the size the shape needs.
                if (data.byteSize() != needed) {
                    throw new ModelFormatException(where + ": buffer " + bufferIndex + " holds " + data.byteSize()
                            + " bytes, shape " + Arrays.toString(shape) + " of " + type + " needs " + needed);
                }
            }
            data = data.asReadOnly();
        }
        Table q = t.table(TENSOR_QUANTIZATION, "quantization", where + ", quantization");
        Quantization quantization = q == null ? null : quantization(q, shape, type, where);
        return new TensorInfo(index, name, type, shape, signature, data, quantization, variable);
    }

    private Quantization quantization(Table q, int[] shape, TensorType type, String where)
            throws ModelFormatException {
        int details = q.u8(QUANT_DETAILS_TYPE, "details_type", 0);
        if (details != 0) {
            throw new ModelFormatException(where + ": quantization details (union type " + details
                    + ": custom, blockwise or multi-axis quantization) are not supported");
        }
        Vector scaleVector = q.vector(QUANT_SCALE, 4, "scale");
        if (scaleVector == null || scaleVector.count() == 0) {
            return null; // TFLite: no scales, no quantization (min/max alone are for re-import into TensorFlow)
        }
        Vector zeroVector = q.vector(QUANT_ZERO_POINT, 8, "zero_point");
        if (zeroVector == null) {
            throw new ModelFormatException(where + ": quantization has " + scaleVector.count()
                    + " scales but no zero points");
        }
        if (zeroVector.count() != scaleVector.count()) {
            throw new ModelFormatException(where + ": quantization has " + scaleVector.count() + " scales and "
                    + zeroVector.count() + " zero points; they must be as many");
        }
        int n = (int) scaleVector.count();
        int dimension = q.i32(QUANT_QUANTIZED_DIMENSION, "quantized_dimension", 0);
        if (dimension < 0 || dimension >= Math.max(shape.length, 1)) {
            throw new ModelFormatException(where + ": quantized_dimension " + dimension + " is out of range for shape "
                    + Arrays.toString(shape) + " (rank " + shape.length + ")");
        }
        if (n != 1) {
            if (shape.length == 0) {
                throw new ModelFormatException(where + ": " + n + " scales for a scalar (one expected)");
            }
            if (n != shape[dimension]) {
                throw new ModelFormatException(where + ": " + n + " scales, but dimension " + dimension + " of shape "
                        + Arrays.toString(shape) + " is " + shape[dimension] + " (per-channel needs one scale per"
                        + " index of the quantized dimension, per-tensor one scale)");
            }
        }
        charge(OBJECT_COST + 12L * n, where + ", quantization");
        float[] scales = new float[n];
        long[] zeroPoints = new long[n];
        long[] range = zeroPointRange(type);
        for (int i = 0; i < n; i++) {
            scales[i] = fb.f32(scaleVector.start() + 4L * i);
            if (!Quantization.isValidScale(scales[i])) {
                throw new ModelFormatException(where + ": scale[" + i + "] = " + scales[i]
                        + " (a scale must be finite and > 0)");
            }
            zeroPoints[i] = fb.i64(zeroVector.start() + 8L * i);
            if (zeroPoints[i] < range[0] || zeroPoints[i] > range[1]) {
                throw new ModelFormatException(where + ": zero_point[" + i + "] = " + zeroPoints[i]
                        + " is out of range for " + type + " [" + range[0] + ", " + range[1] + "]");
            }
        }
        return new Quantization(scales, zeroPoints, dimension);
    }

    /**
     * The zero points a quantized tensor of {@code type} can have: its value range for the small integer types;
     * otherwise int32, since TFLite keeps zero points as {@code int} and would truncate a larger one.
     */
    static long[] zeroPointRange(TensorType type) {
        return switch (type) {
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case UINT8 -> new long[] {0, 255};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT16 -> new long[] {0, 65535};
            case INT4 -> new long[] {-8, 7};
            case UINT4 -> new long[] {0, 15};
            case INT2 -> new long[] {-2, 1};
            case UINT32, UINT64 -> new long[] {0, Integer.MAX_VALUE};
            default -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        };
    }

    private OperatorInfo operator(int index, Table t, OpCode[] opCodes, int tensorCount, String prefix)
            throws ModelFormatException {
        long opcodeIndex = t.u32(OP_OPCODE_INDEX, "opcode_index", 0);
        if (opcodeIndex >= opCodes.length) {
            throw new ModelFormatException(prefix + "operator " + index + ": opcode_index " + opcodeIndex
                    + " is out of range (the model has " + opCodes.length + " operator codes)");
        }
        OpCode code = opCodes[(int) opcodeIndex];
        String where = prefix + "operator " + index + " ("
                + (code.op() == BuiltinOperator.CUSTOM ? "CUSTOM '" + code.customCode() + "'" : code.op()) + ")";
        t = t.as(where);
        int[] inputs = ints(t, OP_INPUTS, "inputs", where);
        int[] outputs = ints(t, OP_OUTPUTS, "outputs", where);
        checkTensorIndices(inputs, tensorCount, true, where + ": input");
        checkTensorIndices(outputs, tensorCount, false, where + ": output");
        return new OperatorInfo(index, code.op(), inputs, outputs, options(t, code, where));
    }

    private OperatorOptions options(Table t, OpCode code, String where) throws ModelFormatException {
        int expected = switch (code.op()) {
            case FULLY_CONNECTED -> OPTIONS_FULLY_CONNECTED;
            case SOFTMAX -> OPTIONS_SOFTMAX;
            case ADD -> OPTIONS_ADD;
            case MUL -> OPTIONS_MUL;
            case RESHAPE -> OPTIONS_RESHAPE;
            case CUSTOM -> -1;
            default -> 0;
        };
        if (expected == -1) {
            return new CustomOptions(code.customCode(), customOptions(t, where));
        }
        if (expected == 0) {
            return OperatorOptions.None.INSTANCE;
        }
        int type = t.u8(OP_BUILTIN_OPTIONS_TYPE, "builtin_options_type", 0);
        if (type != 0 && type != expected) {
            throw new ModelFormatException(where + ": builtin_options of union type " + type + ", expected "
                    + expected + " for " + code.op());
        }
        // No options table: the schema's defaults, as TFLite's parser leaves its parameters.
        Table o = type == 0 ? null : t.table(OP_BUILTIN_OPTIONS, "builtin_options", where + ", builtin_options");
        return switch (code.op()) {
            case FULLY_CONNECTED -> o == null ? FullyConnectedOptions.DEFAULTS : new FullyConnectedOptions(
                    activation(o, where), weightsFormat(o, where), o.bool(2, "keep_num_dims"),
                    o.bool(3, "asymmetric_quantize_inputs"));
            case SOFTMAX -> new SoftmaxOptions(o == null ? 0f : o.f32(0, "beta", 0f));
            case ADD -> new AddOptions(o == null ? ActivationFunction.NONE : activation(o, where));
            case MUL -> new MulOptions(o == null ? ActivationFunction.NONE : activation(o, where));
            case RESHAPE -> new ReshapeOptions(o == null || !o.has(0, "new_shape") ? null
                    : ints(o, 0, "new_shape", where));
            default -> throw new AssertionError(code.op());
        };
    }

    /** {@code fused_activation_function}, slot 0 of every options table that has one. */
    private static ActivationFunction activation(Table o, String where) throws ModelFormatException {
        int code = o.i8(0, "fused_activation_function", 0);
        try {
            return ActivationFunction.of(code);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    private static int weightsFormat(Table o, String where) throws ModelFormatException {
        int format = o.i8(1, "weights_format", 0);
        if (format != FullyConnectedOptions.WEIGHTS_FORMAT_DEFAULT
                && format != FullyConnectedOptions.WEIGHTS_FORMAT_SHUFFLED4X16INT8) {
            throw new ModelFormatException(where + ": unknown weights_format " + format
                    + " (0 DEFAULT, 1 SHUFFLED4x16INT8)");
        }
        return format;
    }

    private MemorySegment customOptions(Table t, String where) throws ModelFormatException {
        long offset = t.u64(OP_LARGE_CUSTOM_OPTIONS_OFFSET, "large_custom_options_offset", 0);
        if (Long.compareUnsigned(offset, EXTERNAL_OFFSET_MIN) >= 0) {
            long size = t.u64(OP_LARGE_CUSTOM_OPTIONS_SIZE, "large_custom_options_size", 0);
            MemorySegment s = external(offset, size, where + ", large custom options");
            return s == null ? null : s.asReadOnly();
        }
        Vector v = t.vector(OP_CUSTOM_OPTIONS, 1, "custom_options");
        return v == null || v.count() == 0 ? null : fb.bytes.asSlice(v.start(), v.count()).asReadOnly();
    }

    /** An {@code [int]} field; an absent vector is empty, as TFLite reads it. */
    private int[] ints(Table t, int slot, String name, String where) throws ModelFormatException {
        Vector v = t.vector(slot, 4, name);
        if (v == null) {
            return new int[0];
        }
        charge(16 + 4 * v.count(), where + ", " + name);
        int[] a = new int[(int) v.count()];
        for (int i = 0; i < a.length; i++) {
            a[i] = fb.i32(v.start() + 4L * i);
        }
        return a;
    }

    /** A string field, decoded leniently (malformed UTF-8 becomes U+FFFD), or null when absent. */
    private String string(Table t, int slot, String name, String where) throws ModelFormatException {
        Vector v = t.string(slot, name);
        if (v == null) {
            return null;
        }
        charge(OBJECT_COST + 3 * v.count(), where + ", " + name); // the bytes, then the string's chars
        return fb.utf8(v);
    }
}
