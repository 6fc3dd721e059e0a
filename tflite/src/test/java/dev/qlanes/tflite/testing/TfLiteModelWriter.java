package dev.qlanes.tflite.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.qlanes.tflite.schema.ActivationFunction;
import dev.qlanes.tflite.schema.AddOptions;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.CustomOptions;
import dev.qlanes.tflite.schema.FullyConnectedOptions;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.ModelFormatException;
import dev.qlanes.tflite.schema.MulOptions;
import dev.qlanes.tflite.schema.OperatorOptions;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.ReshapeOptions;
import dev.qlanes.tflite.schema.SoftmaxOptions;
import dev.qlanes.tflite.schema.TensorType;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small TFLite models (schema version 3, one main subgraph) for tests, with
 * {@link FlatBufferBuilder}: tensors with any type, shape, quantization and constant data, operators with their
 * options, the subgraph's inputs and outputs. Everything the real test models lack can be written: per-channel
 * weights, asymmetric inputs, {@code keep_num_dims}, rank-3 inputs, FULLY_CONNECTED without bias, every fused
 * activation, QUANTIZE/DEQUANTIZE around an int8 graph, custom operators, buffers after the FlatBuffer.
 *
 * <p>A full-integer FULLY_CONNECTED with per-channel weights:
 *
 * <pre>{@code
 * TfLiteModelWriter w = new TfLiteModelWriter();
 * int in = w.tensor("in", TensorType.INT8, 2, 3, 4).quantization(0.05f, -3).add();        // rank 3
 * int weights = w.tensor("w", TensorType.INT8, 5, 4)
 *         .perChannel(new float[] {0.01f, 0.02f, 0.03f, 0.04f, 0.05f}, 0)                 // one scale per row
 *         .data(new byte[20]).add();
 * int bias = w.tensor("b", TensorType.INT32, 5).data(new int[5]).add();                     // optional
 * int out = w.tensor("out", TensorType.INT8, 2, 3, 5).quantization(0.1f, 4).add();
 * w.operator(BuiltinOperator.FULLY_CONNECTED)
 *         .inputs(in, weights, bias)                                                        // -1: no bias
 *         .outputs(out)
 *         .options(new FullyConnectedOptions(ActivationFunction.RELU6, 0, true, false))
 *         .add();
 * w.inputs(in).outputs(out);
 * byte[] file = w.toBytes();                  // or w.read() for a ModelFile over them
 * }</pre>
 *
 * <p>The writer checks nothing on purpose: it writes defective models as readily as valid ones (a scale of 0, a zero
 * point out of range, a buffer index past the end, an unknown type code through {@link TensorBuilder#rawType(int)}),
 * so the reader's rejections can be tested. Constant data is little-endian. Buffer 0 is always the empty sentinel
 * TFLite requires; a tensor without {@code data(...)} or {@code buffer(...)} refers to it (no constant data).
 */
public final class TfLiteModelWriter {
    private static final int SCHEMA_VERSION = 3;
    /** Constant data starts on a 16-byte boundary ({@code force_align: 16} on {@code Buffer.data}). */
    private static final int DATA_ALIGNMENT = 16;
    /** Placeholder for an external buffer's offset in the first of the two passes (any value > 1). */
    private static final long OFFSET_PLACEHOLDER = Long.MAX_VALUE;

    private long version = SCHEMA_VERSION;
    private String description = "qlanes TfLiteModelWriter";
    private final List<BufferSpec> buffers = new ArrayList<>(List.of(new BufferSpec(null, false, false, 0, 0)));
    private final List<TensorBuilder> tensors = new ArrayList<>();
    private final List<OperatorBuilder> operators = new ArrayList<>();
    private final Map<String, Integer> opCodeIndex = new LinkedHashMap<>();
    private final List<int[]> opCodes = new ArrayList<>(); // {deprecated_builtin_code, builtin_code}
    private final List<String> opCodeCustom = new ArrayList<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];
    private int extraSubgraphs;
    private boolean writeBuffersVector = true;

    private record BufferSpec(byte[] data, boolean external, boolean raw, long rawOffset, long rawSize) {
    }

    // ------------------------------------------------------------------ model

    /** Sets the model's description (default "qlanes TfLiteModelWriter"; null writes none). */
    public TfLiteModelWriter description(String text) {
        this.description = text;
        return this;
    }

    /** Sets the schema version written (default 3, the only one readers accept). */
    public TfLiteModelWriter version(long schemaVersion) {
        this.version = schemaVersion;
        return this;
    }

    /** Sets subgraph 0's input tensor indices. */
    public TfLiteModelWriter inputs(int... tensorIndices) {
        this.inputs = tensorIndices.clone();
        return this;
    }

    /** Sets subgraph 0's output tensor indices. */
    public TfLiteModelWriter outputs(int... tensorIndices) {
        this.outputs = tensorIndices.clone();
        return this;
    }

    /** Appends {@code count} empty subgraphs (no tensors, no operators) after the main one. */
    public TfLiteModelWriter extraSubgraphs(int count) {
        this.extraSubgraphs = count;
        return this;
    }

    /** Leaves out the model's buffers vector (a defect: TFLite requires one). */
    public TfLiteModelWriter withoutBuffersVector() {
        this.writeBuffersVector = false;
        return this;
    }

    // ------------------------------------------------------------------ buffers

    /** Adds a buffer with {@code data} inline in the FlatBuffer; returns its index (1, 2, ...). */
    public int addBuffer(byte[] data) {
        buffers.add(new BufferSpec(data.clone(), false, false, 0, 0));
        return buffers.size() - 1;
    }

    /**
     * Adds a buffer stored after the FlatBuffer, as converters write models over 2 GB: the Buffer table holds only
     * {@code offset} (from the file's start) and {@code size}. Returns its index.
     */
    public int addExternalBuffer(byte[] data) {
        buffers.add(new BufferSpec(data.clone(), true, false, 0, 0));
        return buffers.size() - 1;
    }

    /**
     * Adds a Buffer table with exactly these fields (for defective models): inline data (null for none) and the
     * raw {@code offset}/{@code size} fields (unsigned in the schema; 0 is not written). Returns its index.
     */
    public int addRawBuffer(byte[] inlineData, long offset, long size) {
        buffers.add(new BufferSpec(inlineData == null ? null : inlineData.clone(), false, true, offset, size));
        return buffers.size() - 1;
    }

    // ------------------------------------------------------------------ tensors

    /** Starts a tensor; finish it with {@link TensorBuilder#add()}, which returns its index. */
    public TensorBuilder tensor(String name, TensorType type, int... shape) {
        return new TensorBuilder(name, type.code(), shape);
    }

    /** A tensor being described; every method returns this builder. */
    public final class TensorBuilder {
        private final String name;
        private int typeCode;
        private final int[] shape;
        private int[] shapeSignature;
        private int buffer;
        private float[] scales;
        private long[] zeroPoints;
        private int quantizedDimension;
        private boolean writeZeroPoints = true;
        private int detailsType;
        private boolean variable;
        private boolean sparsity;
        private long externalBuffer;
        private byte[] rawName;

        private TensorBuilder(String name, int typeCode, int[] shape) {
            this.name = name;
            this.typeCode = typeCode;
            this.shape = shape == null ? null : shape.clone();
        }

        /** Constant data: a new inline buffer holding these bytes. */
        public TensorBuilder data(byte[] bytes) {
            this.buffer = addBuffer(bytes);
            return this;
        }

        /** Constant data: int32 values, little-endian. */
        public TensorBuilder data(int[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            return data(b.array());
        }

        /** Constant data: float32 values, little-endian. */
        public TensorBuilder data(float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return data(b.array());
        }

        /** Constant data: int16 values, little-endian. */
        public TensorBuilder data(short[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.asShortBuffer().put(values);
            return data(b.array());
        }

        /** Constant data: int64 values, little-endian. */
        public TensorBuilder data(long[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            return data(b.array());
        }

        /** Constant data: a new buffer after the FlatBuffer ({@link #addExternalBuffer(byte[])}). */
        public TensorBuilder externalData(byte[] bytes) {
            this.buffer = addExternalBuffer(bytes);
            return this;
        }

        /** Refers to an existing buffer by index (any value, for defective models). */
        public TensorBuilder buffer(int bufferIndex) {
            this.buffer = bufferIndex;
            return this;
        }

        /** Per-tensor quantization. */
        public TensorBuilder quantization(float scale, long zeroPoint) {
            return quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
        }

        /** Per-channel quantization along {@code quantizedDimension}, all zero points 0 (symmetric weights). */
        public TensorBuilder perChannel(float[] channelScales, int quantizedDimension) {
            return quantization(channelScales, new long[channelScales.length], quantizedDimension);
        }

        /** Quantization as given (the reader's record, e.g. one read from another model). */
        public TensorBuilder quantization(Quantization q) {
            return quantization(q.scales(), q.zeroPoints(), q.quantizedDimension());
        }

        /** Raw quantization parameters, unchecked (arrays of any length; null leaves the vector out). */
        public TensorBuilder quantization(float[] scaleValues, long[] zeroPointValues, int dimension) {
            this.scales = scaleValues == null ? null : scaleValues.clone();
            this.zeroPoints = zeroPointValues == null ? null : zeroPointValues.clone();
            this.writeZeroPoints = zeroPointValues != null;
            this.quantizedDimension = dimension;
            return this;
        }

        /** Sets the quantization's {@code details} union type (a defect for this reader: not supported). */
        public TensorBuilder quantizationDetailsType(int unionType) {
            this.detailsType = unionType;
            if (scales == null) {
                scales = new float[0];
            }
            return this;
        }

        /** The shape with -1 for dimensions known only at run time. */
        public TensorBuilder shapeSignature(int... signature) {
            this.shapeSignature = signature.clone();
            return this;
        }

        /** Marks the tensor variable ({@code is_variable}). */
        public TensorBuilder variable() {
            this.variable = true;
            return this;
        }

        /** Writes the type code as given (e.g. one the schema does not define). */
        public TensorBuilder rawType(int code) {
            this.typeCode = code;
            return this;
        }

        /** Writes the name as raw bytes (e.g. malformed UTF-8). */
        public TensorBuilder rawName(byte[] utf8) {
            this.rawName = utf8.clone();
            return this;
        }

        /** Adds an (empty) {@code sparsity} table. */
        public TensorBuilder sparsity() {
            this.sparsity = true;
            return this;
        }

        /** Sets {@code external_buffer} (data in a separate file). */
        public TensorBuilder externalBuffer(long index) {
            this.externalBuffer = index;
            return this;
        }

        /**
         * Adds the tensor to the model.
         *
         * @return its index
         */
        public int add() {
            tensors.add(this);
            return tensors.size() - 1;
        }
    }

    // ------------------------------------------------------------------ operators

    /** Starts a builtin operator; finish it with {@link OperatorBuilder#add()}. */
    public OperatorBuilder operator(BuiltinOperator op) {
        if (op == BuiltinOperator.CUSTOM) {
            throw new IllegalArgumentException("use customOperator(name) for CUSTOM");
        }
        int code = op.code();
        // As converters write it: the byte field holds codes below 127, else the placeholder 127.
        int deprecated = Math.min(code, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES.code());
        return new OperatorBuilder(opCode(deprecated, code, null));
    }

    /** Starts a custom operator named {@code customCode}. */
    public OperatorBuilder customOperator(String customCode) {
        int code = BuiltinOperator.CUSTOM.code();
        return new OperatorBuilder(opCode(code, code, customCode));
    }

    /**
     * Adds an {@code OperatorCode} with exactly these fields (for old-style or defective models); returns its index
     * for {@link OperatorBuilder#opcodeIndex(int)}.
     */
    public int addRawOperatorCode(int deprecatedBuiltinCode, int builtinCode, String customCode) {
        opCodes.add(new int[] {deprecatedBuiltinCode, builtinCode});
        opCodeCustom.add(customCode);
        return opCodes.size() - 1;
    }

    private int opCode(int deprecated, int code, String custom) {
        String key = deprecated + "/" + code + "/" + custom;
        return opCodeIndex.computeIfAbsent(key, k -> addRawOperatorCode(deprecated, code, custom));
    }

    /** An operator being described; every method returns this builder. */
    public final class OperatorBuilder {
        private int opcodeIndex;
        private int[] opInputs = new int[0];
        private int[] opOutputs = new int[0];
        private OperatorOptions options;
        private int[] rawFullyConnected;
        private int rawOptionsType = -1;
        private byte[] customOptions;
        private long[] largeCustomOptions;

        private OperatorBuilder(int opcodeIndex) {
            this.opcodeIndex = opcodeIndex;
        }

        /** Input tensor indices; -1 for an absent optional input (e.g. no bias). */
        public OperatorBuilder inputs(int... tensorIndices) {
            this.opInputs = tensorIndices.clone();
            return this;
        }

        /** Output tensor indices. */
        public OperatorBuilder outputs(int... tensorIndices) {
            this.opOutputs = tensorIndices.clone();
            return this;
        }

        /**
         * The options: {@link FullyConnectedOptions}, {@link SoftmaxOptions}, {@link AddOptions},
         * {@link MulOptions} or {@link ReshapeOptions}, written as that member of the {@code BuiltinOptions} union
         * whatever the operator (so a mismatch can be written too). None by default.
         */
        public OperatorBuilder options(OperatorOptions opts) {
            if (opts instanceof CustomOptions) {
                throw new IllegalArgumentException("use customOptions(bytes)");
            }
            this.options = opts;
            return this;
        }

        /** FullyConnectedOptions with raw codes (e.g. an activation or weights format the schema lacks). */
        public OperatorBuilder rawFullyConnectedOptions(int activationCode, int weightsFormat, boolean keepNumDims,
                                                        boolean asymmetricQuantizeInputs) {
            this.rawFullyConnected = new int[] {activationCode, weightsFormat, keepNumDims ? 1 : 0,
                    asymmetricQuantizeInputs ? 1 : 0};
            return this;
        }

        /** Overrides the {@code builtin_options_type} written (the union's member index, 0 for NONE). */
        public OperatorBuilder rawOptionsType(int unionType) {
            this.rawOptionsType = unionType;
            return this;
        }

        /** A custom operator's {@code custom_options} bytes. */
        public OperatorBuilder customOptions(byte[] bytes) {
            this.customOptions = bytes.clone();
            return this;
        }

        /** Raw {@code large_custom_options_offset}/{@code _size} fields (options after the FlatBuffer). */
        public OperatorBuilder largeCustomOptions(long offset, long size) {
            this.largeCustomOptions = new long[] {offset, size};
            return this;
        }

        /** Overrides the operator's {@code opcode_index} (any value, for defective models). */
        public OperatorBuilder opcodeIndex(int index) {
            this.opcodeIndex = index;
            return this;
        }

        /**
         * Adds the operator to subgraph 0, after those added before.
         *
         * @return its index
         */
        public int add() {
            operators.add(this);
            return operators.size() - 1;
        }
    }

    // ------------------------------------------------------------------ output

    /** @return a ModelFile read from {@link #toBytes()} (heap memory; no close needed) */
    public ModelFile read() throws ModelFormatException {
        return ModelFile.read(MemorySegment.ofArray(toBytes()));
    }

    /** @return the model file's bytes */
    public byte[] toBytes() {
        // Pass 1 sizes the FlatBuffer; external buffers go after it, at offsets pass 2 writes (same size).
        byte[] first = build(null);
        long[] offsets = new long[buffers.size()];
        long end = align(first.length);
        for (int i = 0; i < buffers.size(); i++) {
            BufferSpec b = buffers.get(i);
            if (b.external()) {
                offsets[i] = end;
                end = align(end + b.data().length);
            }
        }
        if (end == align(first.length)) {
            return first;
        }
        byte[] flat = build(offsets);
        if (flat.length != first.length) {
            throw new IllegalStateException("the FlatBuffer changed size between passes");
        }
        byte[] file = Arrays.copyOf(flat, Math.toIntExact(end));
        for (int i = 0; i < buffers.size(); i++) {
            BufferSpec b = buffers.get(i);
            if (b.external()) {
                System.arraycopy(b.data(), 0, file, (int) offsets[i], b.data().length);
            }
        }
        return file;
    }

    private static long align(long n) {
        return (n + DATA_ALIGNMENT - 1) / DATA_ALIGNMENT * DATA_ALIGNMENT;
    }

    private byte[] build(long[] externalOffsets) {
        FlatBufferBuilder fbb = new FlatBufferBuilder(1024);

        int[] bufferTables = new int[buffers.size()];
        for (int i = 0; i < buffers.size(); i++) {
            BufferSpec b = buffers.get(i);
            int data = 0;
            if (b.data() != null && !b.external()) {
                fbb.startVector(1, b.data().length, DATA_ALIGNMENT);
                for (int k = b.data().length - 1; k >= 0; k--) {
                    fbb.addByte(b.data()[k]);
                }
                data = fbb.endVector();
            }
            fbb.startTable(3);
            if (b.external()) {
                fbb.addLong(1, externalOffsets == null ? OFFSET_PLACEHOLDER : externalOffsets[i], 0);
                fbb.addLong(2, b.data().length, 0);
            } else if (b.raw()) {
                fbb.addLong(1, b.rawOffset(), 0);
                fbb.addLong(2, b.rawSize(), 0);
            }
            if (data != 0) {
                fbb.addOffset(0, data, 0);
            }
            bufferTables[i] = fbb.endTable();
        }

        int[] tensorTables = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            tensorTables[i] = writeTensor(fbb, tensors.get(i));
        }
        int[] operatorTables = new int[operators.size()];
        for (int i = 0; i < operators.size(); i++) {
            operatorTables[i] = writeOperator(fbb, operators.get(i));
        }
        int[] subgraphs = new int[1 + extraSubgraphs];
        subgraphs[0] = writeSubgraph(fbb, tensorTables, operatorTables, inputs, outputs, "main");
        for (int s = 1; s < subgraphs.length; s++) {
            subgraphs[s] = writeSubgraph(fbb, new int[0], new int[0], new int[0], new int[0], "subgraph " + s);
        }

        int[] codeTables = new int[opCodes.size()];
        for (int i = 0; i < opCodes.size(); i++) {
            int custom = opCodeCustom.get(i) == null ? 0 : fbb.createString(opCodeCustom.get(i));
            fbb.startTable(4);
            fbb.addInt(3, opCodes.get(i)[1], 0);
            fbb.addInt(2, 1, 1);
            if (custom != 0) {
                fbb.addOffset(1, custom, 0);
            }
            fbb.addByte(0, (byte) opCodes.get(i)[0], 0);
            codeTables[i] = fbb.endTable();
        }

        int descriptionString = description == null ? 0 : fbb.createString(description);
        int codesVector = offsets(fbb, codeTables);
        int subgraphsVector = offsets(fbb, subgraphs);
        int buffersVector = writeBuffersVector ? offsets(fbb, bufferTables) : 0;
        fbb.startTable(8);
        fbb.addInt(0, (int) version, 0);
        fbb.addOffset(1, codesVector, 0);
        fbb.addOffset(2, subgraphsVector, 0);
        if (descriptionString != 0) {
            fbb.addOffset(3, descriptionString, 0);
        }
        if (buffersVector != 0) {
            fbb.addOffset(4, buffersVector, 0);
        }
        int model = fbb.endTable();
        fbb.finish(model, "TFL3");
        return fbb.sizedByteArray();
    }

    private int writeTensor(FlatBufferBuilder fbb, TensorBuilder t) {
        int shape = t.shape == null ? 0 : ints(fbb, t.shape);
        int name = t.rawName != null ? fbb.createString(ByteBuffer.wrap(t.rawName))
                : t.name == null ? 0 : fbb.createString(t.name);
        int signature = t.shapeSignature == null ? 0 : ints(fbb, t.shapeSignature);
        int quantization = 0;
        if (t.scales != null || t.detailsType != 0) {
            int scale = t.scales == null ? 0 : floats(fbb, t.scales);
            int zero = t.writeZeroPoints && t.zeroPoints != null ? longs(fbb, t.zeroPoints) : 0;
            int details = 0;
            if (t.detailsType != 0) {
                fbb.startTable(1);
                details = fbb.endTable();
            }
            fbb.startTable(7);
            if (scale != 0) {
                fbb.addOffset(2, scale, 0);
            }
            if (zero != 0) {
                fbb.addOffset(3, zero, 0);
            }
            if (details != 0) {
                fbb.addOffset(5, details, 0);
            }
            fbb.addInt(6, t.quantizedDimension, 0);
            fbb.addByte(4, (byte) t.detailsType, 0);
            quantization = fbb.endTable();
        }
        int sparsity = 0;
        if (t.sparsity) {
            fbb.startTable(3);
            sparsity = fbb.endTable();
        }
        fbb.startTable(11);
        if (shape != 0) {
            fbb.addOffset(0, shape, 0);
        }
        fbb.addInt(2, t.buffer, 0);
        if (name != 0) {
            fbb.addOffset(3, name, 0);
        }
        if (quantization != 0) {
            fbb.addOffset(4, quantization, 0);
        }
        if (sparsity != 0) {
            fbb.addOffset(6, sparsity, 0);
        }
        if (signature != 0) {
            fbb.addOffset(7, signature, 0);
        }
        fbb.addInt(10, (int) t.externalBuffer, 0);
        fbb.addByte(1, (byte) t.typeCode, 0);
        fbb.addBoolean(5, t.variable, false);
        return fbb.endTable();
    }

    private int writeOperator(FlatBufferBuilder fbb, OperatorBuilder o) {
        int in = ints(fbb, o.opInputs);
        int out = ints(fbb, o.opOutputs);
        int optionsType = 0;
        int options = 0;
        if (o.rawFullyConnected != null) {
            optionsType = 8;
            fbb.startTable(5);
            fbb.addByte(0, (byte) o.rawFullyConnected[0], 0);
            fbb.addByte(1, (byte) o.rawFullyConnected[1], 0);
            fbb.addBoolean(2, o.rawFullyConnected[2] != 0, false);
            fbb.addBoolean(3, o.rawFullyConnected[3] != 0, false);
            options = fbb.endTable();
        } else if (o.options != null) {
            switch (o.options) {
                case FullyConnectedOptions fc -> {
                    optionsType = 8;
                    fbb.startTable(5);
                    fbb.addByte(0, (byte) fc.activation().code(), 0);
                    fbb.addByte(1, (byte) fc.weightsFormat(), 0);
                    fbb.addBoolean(2, fc.keepNumDims(), false);
                    fbb.addBoolean(3, fc.asymmetricQuantizeInputs(), false);
                    options = fbb.endTable();
                }
                case SoftmaxOptions s -> {
                    optionsType = 9;
                    fbb.startTable(1);
                    fbb.addFloat(0, s.beta(), 0);
                    options = fbb.endTable();
                }
                case AddOptions a -> {
                    optionsType = 11;
                    options = activationOnly(fbb, a.activation());
                }
                case MulOptions m -> {
                    optionsType = 21;
                    options = activationOnly(fbb, m.activation());
                }
                case ReshapeOptions r -> {
                    optionsType = 17;
                    int newShape = r.newShape() == null ? 0 : ints(fbb, r.newShape());
                    fbb.startTable(1);
                    if (newShape != 0) {
                        fbb.addOffset(0, newShape, 0);
                    }
                    options = fbb.endTable();
                }
                case OperatorOptions.None n -> { }
                case CustomOptions c -> throw new AssertionError(c);
            }
        }
        if (o.rawOptionsType >= 0) {
            optionsType = o.rawOptionsType;
        }
        int custom = o.customOptions == null ? 0 : fbb.createByteVector(o.customOptions);
        fbb.startTable(14);
        if (o.largeCustomOptions != null) {
            fbb.addLong(9, o.largeCustomOptions[0], 0);
            fbb.addLong(10, o.largeCustomOptions[1], 0);
        }
        fbb.addInt(0, o.opcodeIndex, 0);
        fbb.addOffset(1, in, 0);
        fbb.addOffset(2, out, 0);
        if (options != 0) {
            fbb.addOffset(4, options, 0);
        }
        if (custom != 0) {
            fbb.addOffset(5, custom, 0);
        }
        fbb.addByte(3, (byte) optionsType, 0);
        return fbb.endTable();
    }

    private static int activationOnly(FlatBufferBuilder fbb, ActivationFunction activation) {
        fbb.startTable(1);
        fbb.addByte(0, (byte) activation.code(), 0);
        return fbb.endTable();
    }

    private static int writeSubgraph(FlatBufferBuilder fbb, int[] tensorTables, int[] operatorTables, int[] in,
                                     int[] out, String name) {
        int tensorsVector = offsets(fbb, tensorTables);
        int inVector = ints(fbb, in);
        int outVector = ints(fbb, out);
        int operatorsVector = offsets(fbb, operatorTables);
        int nameString = fbb.createString(name);
        fbb.startTable(5);
        fbb.addOffset(0, tensorsVector, 0);
        fbb.addOffset(1, inVector, 0);
        fbb.addOffset(2, outVector, 0);
        fbb.addOffset(3, operatorsVector, 0);
        fbb.addOffset(4, nameString, 0);
        return fbb.endTable();
    }

    private static int offsets(FlatBufferBuilder fbb, int[] tables) {
        fbb.startVector(4, tables.length, 4);
        for (int i = tables.length - 1; i >= 0; i--) {
            fbb.addOffset(tables[i]);
        }
        return fbb.endVector();
    }

    private static int ints(FlatBufferBuilder fbb, int[] values) {
        fbb.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            fbb.addInt(values[i]);
        }
        return fbb.endVector();
    }

    private static int floats(FlatBufferBuilder fbb, float[] values) {
        fbb.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            fbb.addFloat(values[i]);
        }
        return fbb.endVector();
    }

    private static int longs(FlatBufferBuilder fbb, long[] values) {
        fbb.startVector(8, values.length, 8);
        for (int i = values.length - 1; i >= 0; i--) {
            fbb.addLong(values[i]);
        }
        return fbb.endVector();
    }

    /** UTF-8 bytes of a string, for {@link TensorBuilder#rawName(byte[])}. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
