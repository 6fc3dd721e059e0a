package dev.qlanes.tflite.schema;

import dev.qlanes.tflite.testing.TfLiteModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.qlanes.tflite.schema.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defective models made by {@link TfLiteModelWriter}: each class of defect the reader must reject, with a message
 * that names the defect and where it is.
 */
class HostileModelTest {

    /** in [1, 4] INT8 -> FULLY_CONNECTED(w [3, 4], b [3]) -> out [1, 3], valid; tests then break one thing. */
    private static TfLiteModelWriter fullyConnected(TfLiteModelWriter w) {
        int in = w.tensor("in", TensorType.INT8, 1, 4).quantization(0.5f, 1).add();
        int wt = w.tensor("w", TensorType.INT8, 3, 4).quantization(0.25f, 0).data(new byte[12]).add();
        int b = w.tensor("b", TensorType.INT32, 3).quantization(0.125f, 0).data(new int[3]).add();
        int out = w.tensor("out", TensorType.INT8, 1, 3).quantization(1f, -2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, b).outputs(out).add();
        return w.inputs(in).outputs(out);
    }

    @Test
    void theBaseModelIsValid() throws Exception {
        assertEquals(4, fullyConnected(new TfLiteModelWriter()).read().tensors().size());
    }

    @Test
    void negativeDimension() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 2, -3).add();
        assertRejected(w.toBytes(), "tensor 0 'w'", "shape [2, -3]", "negative dimension");
    }

    @Test
    void elementCountOverflowsLong() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("big", TensorType.INT8, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).add();
        assertRejected(w.toBytes(), "tensor 0 'big'", "more than 2^63 - 1 elements");
    }

    @Test
    void byteSizeOverflowsLong() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("big", TensorType.INT64, Integer.MAX_VALUE, Integer.MAX_VALUE).data(new byte[8]).add();
        assertRejected(w.toBytes(), "tensor 0 'big'", "needs more than 2^63 - 1 bytes");
    }

    @Test
    void bufferShorterThanItsTensor() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("x", TensorType.INT8, 1).add();
        w.tensor("dense/MatMul", TensorType.INT8, 128, 640).data(new byte[1000]).add();
        assertEquals("tensor 1 'dense/MatMul': buffer 1 holds 1000 bytes, shape [128, 640] of INT8 needs 81920",
                assertRejected(w.toBytes()));
    }

    @Test
    void bufferLongerThanItsTensor() {
        // TFLite's SetTensorParametersReadOnly requires the exact size, longer too.
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("b", TensorType.INT32, 2).data(new byte[9]).add();
        assertRejected(w.toBytes(), "tensor 0 'b'", "holds 9 bytes", "needs 8");
    }

    @Test
    void constantDataForAnEmptyShape() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("e", TensorType.FLOAT32, 0, 4).data(new byte[4]).add();
        assertRejected(w.toBytes(), "tensor 0 'e'", "holds 4 bytes", "needs 0");
    }

    @Test
    void bufferIndexOutOfRange() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 4).data(new byte[4]).add();
        w.tensor("v", TensorType.INT8, 4).buffer(7).add();
        assertRejected(w.toBytes(), "tensor 1 'v'", "buffer 7 is out of range", "2 buffers");
        TfLiteModelWriter huge = new TfLiteModelWriter();
        huge.tensor("v", TensorType.INT8, 4).buffer(-1).add(); // uint 4294967295
        assertRejected(huge.toBytes(), "buffer 4294967295 is out of range");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, -1, -2})
    void subgraphInputOutOfRange(int index) {
        assertRejected(fullyConnected(new TfLiteModelWriter()).inputs(index).toBytes(),
                "subgraph 0: input 0 is tensor " + index, "4 tensors");
        assertRejected(fullyConnected(new TfLiteModelWriter()).outputs(3, index).toBytes(),
                "subgraph 0: output 1 is tensor " + index);
    }

    @Test
    void operatorTensorIndicesOutOfRange() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.ADD).inputs(a, 99).outputs(a).add();
        assertRejected(w.toBytes(), "operator 0 (ADD): input 1 is tensor 99, but the subgraph has 1 tensors");

        TfLiteModelWriter below = new TfLiteModelWriter();
        a = below.tensor("a", TensorType.FLOAT32, 2).add();
        below.operator(BuiltinOperator.ADD).inputs(a, -2).outputs(a).add();
        assertRejected(below.toBytes(), "operator 0 (ADD): input 1 is tensor -2", "-1 marks an absent optional");

        TfLiteModelWriter output = new TfLiteModelWriter();
        a = output.tensor("a", TensorType.FLOAT32, 2).add();
        output.operator(BuiltinOperator.ADD).inputs(a, a).outputs(-1).add();
        assertRejected(output.toBytes(), "operator 0 (ADD): output 0 is tensor -1");
    }

    @Test
    void opcodeIndexOutOfRange() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.ADD).inputs(a, a).outputs(a).add();
        w.operator(BuiltinOperator.ADD).opcodeIndex(3).inputs(a, a).outputs(a).add();
        assertRejected(w.toBytes(), "operator 1: opcode_index 3 is out of range", "1 operator codes");
    }

    @ParameterizedTest
    @ValueSource(ints = {23, 100, -1, -128})
    void unknownTensorType(int code) {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("t", TensorType.INT8, 2).rawType(code).add();
        assertRejected(w.toBytes(), "tensor 0 't'", "unknown tensor type code " + code);
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void invalidScale(float scale) {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 2, 2).quantization(new float[] {0.5f, scale}, new long[2], 0)
                .data(new byte[4]).add();
        assertRejected(w.toBytes(), "tensor 0 'w'", "scale[1] = " + scale, "finite and > 0");
    }

    @Test
    void subnormalScaleIsAccepted() throws Exception {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 2).quantization(Float.MIN_VALUE, 0).add();
        assertEquals(Float.MIN_VALUE, w.read().tensors().get(0).quantization().scale(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT8:128", "INT8:-129", "UINT8:-1", "UINT8:256", "INT16:32768", "UINT16:65536",
            "INT4:8", "INT4:-9", "UINT4:16", "INT2:2", "INT32:2147483648", "INT32:-2147483649",
            "FLOAT32:4294967296", "UINT32:-1", "INT64:9223372036854775807"})
    void zeroPointOutOfRangeForItsType(String typeAndZeroPoint) {
        String[] parts = typeAndZeroPoint.split(":");
        TensorType type = TensorType.valueOf(parts[0]);
        long zeroPoint = Long.parseLong(parts[1]);
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("t", type, 2).quantization(0.5f, zeroPoint).add();
        assertRejected(w.toBytes(), "tensor 0 't'", "zero_point[0] = " + zeroPoint, "out of range for " + type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT8:-128", "INT8:127", "UINT8:0", "UINT8:255", "INT16:-32768", "INT4:-8", "UINT4:15",
            "INT32:-2147483648", "FLOAT32:2147483647"})
    void zeroPointAtTheEdgeOfItsRange(String typeAndZeroPoint) throws Exception {
        String[] parts = typeAndZeroPoint.split(":");
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("t", TensorType.valueOf(parts[0]), 2).quantization(0.5f, Long.parseLong(parts[1])).add();
        assertEquals(Long.parseLong(parts[1]), w.read().tensors().get(0).quantization().zeroPoint(0));
    }

    @Test
    void scaleAndZeroPointCountsDiffer() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 2, 2).quantization(new float[] {1, 2}, new long[] {0}, 0).add();
        assertRejected(w.toBytes(), "tensor 0 'w'", "2 scales and 1 zero points");
        TfLiteModelWriter none = new TfLiteModelWriter();
        none.tensor("w", TensorType.INT8, 2, 2).quantization(new float[] {1, 2}, null, 0).add();
        assertRejected(none.toBytes(), "tensor 0 'w'", "2 scales but no zero points");
    }

    @Test
    void perChannelCountDiffersFromTheQuantizedDimension() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 5, 4).perChannel(new float[] {1, 2, 3, 4}, 0).data(new byte[20]).add();
        assertRejected(w.toBytes(), "tensor 0 'w'", "4 scales, but dimension 0 of shape [5, 4] is 5");
        TfLiteModelWriter scalar = new TfLiteModelWriter();
        scalar.tensor("s", TensorType.INT8).perChannel(new float[] {1, 2}, 0).add();
        assertRejected(scalar.toBytes(), "tensor 0 's'", "2 scales for a scalar");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 7, -1, Integer.MIN_VALUE})
    void quantizedDimensionOutOfRange(int dimension) {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 5, 4).quantization(new float[] {1}, new long[1], dimension).add();
        assertRejected(w.toBytes(), "tensor 0 'w'", "quantized_dimension " + dimension + " is out of range",
                "rank 2");
    }

    @Test
    void variableTensorWithConstantData() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("state", TensorType.FLOAT32, 2).variable().data(new float[2]).add();
        assertRejected(w.toBytes(), "tensor 0 'state'", "variable tensor with constant data (buffer 1)");
    }

    @Test
    void unsupportedTensorFeatures() {
        TfLiteModelWriter sparse = new TfLiteModelWriter();
        sparse.tensor("s", TensorType.INT8, 4).sparsity().data(new byte[4]).add();
        assertRejected(sparse.toBytes(), "tensor 0 's'", "sparse constant data is not supported");
        TfLiteModelWriter external = new TfLiteModelWriter();
        external.tensor("e", TensorType.INT8, 4).externalBuffer(3).add();
        assertRejected(external.toBytes(), "tensor 0 'e'", "external_buffer 3", "not supported");
        TfLiteModelWriter details = new TfLiteModelWriter();
        details.tensor("d", TensorType.INT4, 4).quantizationDetailsType(2).data(new byte[2]).add();
        assertRejected(details.toBytes(), "tensor 0 'd'", "quantization details (union type 2");
    }

    @Test
    void shapeSignatureOfAnotherRank() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("in", TensorType.INT8, 1, 4).shapeSignature(-1).add();
        assertRejected(w.toBytes(), "tensor 0 'in'", "shape_signature [-1] has rank 1");
        TfLiteModelWriter below = new TfLiteModelWriter();
        below.tensor("in", TensorType.INT8, 1, 4).shapeSignature(-2, 4).add();
        assertRejected(below.toBytes(), "tensor 0 'in'", "below -1");
    }

    @Test
    void unknownOperatorCodes() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.ADD).opcodeIndex(w.addRawOperatorCode(127, 250, null)).inputs(a).outputs(a).add();
        assertRejected(w.toBytes(), "operator_codes[1]: unknown builtin operator code 250");
        TfLiteModelWriter negative = new TfLiteModelWriter();
        negative.addRawOperatorCode(-5, -7, null);
        assertRejected(negative.toBytes(), "operator_codes[0]: unknown builtin operator code -5");
        TfLiteModelWriter custom = new TfLiteModelWriter();
        custom.addRawOperatorCode(32, 32, null);
        assertRejected(custom.toBytes(), "operator_codes[0]: CUSTOM operator without a custom_code");
    }

    @Test
    void optionsOfAnotherOperator() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(a, a).outputs(a).options(new SoftmaxOptions(1f)).add();
        assertRejected(w.toBytes(), "operator 0 (FULLY_CONNECTED): builtin_options of union type 9, expected 8");
    }

    @Test
    void unknownActivationAndWeightsFormat() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(a, a).outputs(a)
                .rawFullyConnectedOptions(9, 0, false, false).add();
        assertRejected(w.toBytes(), "operator 0 (FULLY_CONNECTED)", "unknown fused activation code 9");
        TfLiteModelWriter format = new TfLiteModelWriter();
        a = format.tensor("a", TensorType.FLOAT32, 2).add();
        format.operator(BuiltinOperator.FULLY_CONNECTED).inputs(a, a).outputs(a)
                .rawFullyConnectedOptions(0, 2, false, false).add();
        assertRejected(format.toBytes(), "operator 0 (FULLY_CONNECTED)", "unknown weights_format 2");
    }

    @Test
    void externalBufferOutsideTheFile() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 16).buffer(w.addRawBuffer(null, 1L << 40, 16)).add();
        assertRejected(w.toBytes(), "buffers[1]: 16 bytes at offset 1099511627776 lie outside the file");
        TfLiteModelWriter wraps = new TfLiteModelWriter();
        wraps.addRawBuffer(null, 64, -1); // size 2^64 - 1: offset + size overflows
        assertRejected(wraps.toBytes(), "buffers[1]: 18446744073709551615 bytes at offset 64");
        TfLiteModelWriter negative = new TfLiteModelWriter();
        negative.addRawBuffer(null, -16, 16); // offset 2^64 - 16
        assertRejected(negative.toBytes(), "buffers[1]", "offset 18446744073709551600 lie outside");
        TfLiteModelWriter both = new TfLiteModelWriter();
        both.addRawBuffer(new byte[4], 64, 4);
        assertRejected(both.toBytes(), "buffers[1]: both 4 bytes of inline data and an offset (64)");
    }

    @Test
    void placeholderOffsetsMeanInlineData() throws Exception {
        // Offsets 0 and 1 are not external (1 is a converter's placeholder): the inline data counts.
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 4).buffer(w.addRawBuffer(new byte[] {1, 2, 3, 4}, 1, 99)).add();
        assertEquals(4, w.read().tensors().get(0).data().byteSize());
    }

    @Test
    void largeCustomOptionsOutsideTheFile() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.customOperator("Op").inputs(a).outputs(a).largeCustomOptions(1L << 33, 8).add();
        assertRejected(w.toBytes(), "operator 0 (CUSTOM 'Op'), large custom options", "outside the file");
    }

    @Test
    void wrongSchemaVersionOrMissingParts() {
        assertRejected(fullyConnected(new TfLiteModelWriter()).version(4).toBytes(),
                "model: schema version 4", "accepts 3 only");
        assertRejected(fullyConnected(new TfLiteModelWriter()).withoutBuffersVector().toBytes(),
                "model: no buffers vector");
    }

    @Test
    void sharedTablesCannotExpandBeyondTheBudget() {
        // 20000 tensor slots that all point at one tensor with a 60000-byte name: legal FlatBuffers, but 3.6 GB
        // of decoded names. The reader charges each decoded object against a budget tied to the file's size.
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("x".repeat(60_000), TensorType.INT8, 1).add();
        for (int i = 1; i < 20_000; i++) {
            w.tensor(null, TensorType.INT8).add();
        }
        byte[] bytes = w.toBytes();
        Probe p = new Probe(bytes);
        int vector = p.vector(p.subgraph0(), 0);
        int target = p.element(vector, 0);
        for (int i = 1; i < 20_000; i++) {
            int slot = vector + 4 + 4 * i;
            p.putInt(slot, target - slot);
        }
        assertRejected(bytes, "decoding the model would take more than", "MiB", "shared by many references");
    }
}
