package dev.qlanes.tflite.schema;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four real models, read through {@link ModelFile#open}. Every expected value comes from outside this reader:
 * structure from the models' README, exact scales, zero points, data offsets and digests from decoding the files
 * with Debian's {@code python3-flatbuffers} (2.0.8) and a hand-numbered slot map, cross-checked with {@code flatc
 * --json} (which prints the same values rounded to 6 digits).
 */
class RealModelsTest {
    /** Layer widths of the ToyCar autoencoder (README): 640→128→128→128→128→8→128→128→128→128→640. */
    private static final int[] TOYCAR_WIDTHS = {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640};

    @Test
    void resourcesAreTheFilesTheReadmeNames() throws IOException, NoSuchAlgorithmException {
        String readme = Files.readString(TestModels.path("README.md"));
        Matcher m = Pattern.compile("([0-9a-f]{64})\\s+(\\S+\\.tflite)").matcher(readme);
        int checked = 0;
        while (m.find()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(TestModels.bytes(m.group(2)));
            assertEquals(m.group(1), HexFormat.of().formatHex(digest), m.group(2));
            checked++;
        }
        assertEquals(4, checked, "README lists four digests");
    }

    @Test
    void toyCarFloat() throws IOException {
        try (ModelFile model = ModelFile.open(TestModels.path(TestModels.TOYCAR))) {
            checkToyCar(model, TensorType.FLOAT32);
            for (OperatorInfo op : model.operators()) {
                assertNull(model.tensors().get(op.input(1)).quantization());
            }
        }
    }

    @Test
    void toyCarQuantHasPerTensorInt8Weights() throws IOException, NoSuchAlgorithmException {
        // Weight tensors 11..20, per-tensor scales (float bits), zero point 0.
        int[] scaleBits = {0x39c5974e, 0x3c76395f, 0x3d5b233b, 0x3d93874e, 0x3c08b7ef, 0x3cdb0249, 0x3c9e6558,
                0x3c51c297, 0x3be702b7, 0x3ca03556};
        try (ModelFile model = ModelFile.open(TestModels.path(TestModels.TOYCAR_QUANT))) {
            checkToyCar(model, TensorType.INT8);
            for (int layer = 0; layer < 10; layer++) {
                TensorInfo w = model.tensors().get(model.operators().get(layer).input(1));
                assertEquals(11 + layer, w.index());
                Quantization q = w.quantization();
                assertNotNull(q, w.name());
                assertFalse(q.perChannel());
                assertEquals(scaleBits[layer], Float.floatToRawIntBits(q.scale(0)), w.name());
                assertEquals(0, q.zeroPoint(0));
                // Biases stay float32 in dynamic-range quantization.
                TensorInfo bias = model.tensors().get(model.operators().get(layer).input(2));
                assertEquals(TensorType.FLOAT32, bias.type());
                assertNull(bias.quantization());
            }
            TensorInfo first = model.tensors().get(11);
            assertEquals("functional_1/dense/MatMul", first.name());
            assertEquals(81920, first.data().byteSize());
            assertEquals("81aa4875e38a5bd8a07a071f615e1dbeae8e9a9ea4007c674be5723210f78196", sha256(first.data()));
            assertArrayEquals(new byte[] {10, 13, -12, 7, 4, -2, -13, -20},
                    first.data().asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE));
            assertEquals("55bbc1cda3bded549c607b0554eb2a2579a244ea31deb567d2f78c3bb61a8154",
                    sha256(model.tensors().get(20).data()));
        }
    }

    private static void checkToyCar(ModelFile model, TensorType weightType) {
        assertEquals(3, model.version());
        assertEquals("MLIR Converted.", model.description());
        assertEquals(1, model.subgraphCount());
        assertEquals(31, model.tensors().size());
        assertEquals(10, model.operators().size());
        assertArrayEquals(new int[] {0}, model.inputs());
        assertArrayEquals(new int[] {30}, model.outputs());
        TensorInfo input = model.tensors().get(0);
        assertEquals("input_1", input.name());
        assertEquals(TensorType.FLOAT32, input.type());
        assertArrayEquals(new int[] {1, 640}, input.shape());
        assertArrayEquals(new int[] {-1, 640}, input.shapeSignature());
        assertNull(input.data());
        TensorInfo output = model.tensors().get(30);
        assertEquals("Identity", output.name());
        assertArrayEquals(new int[] {1, 640}, output.shape());

        int previous = 0; // the input tensor
        for (int layer = 0; layer < 10; layer++) {
            OperatorInfo op = model.operators().get(layer);
            assertEquals(layer, op.index());
            assertEquals(BuiltinOperator.FULLY_CONNECTED, op.op());
            assertEquals(3, op.inputCount());
            assertEquals(previous, op.input(0), "layer " + layer + " reads the previous layer's output");
            TensorInfo weights = model.tensors().get(op.input(1));
            assertEquals(weightType, weights.type());
            assertArrayEquals(new int[] {TOYCAR_WIDTHS[layer + 1], TOYCAR_WIDTHS[layer]}, weights.shape());
            assertEquals((long) TOYCAR_WIDTHS[layer + 1] * TOYCAR_WIDTHS[layer] * weightType.elementSize(),
                    weights.data().byteSize());
            TensorInfo bias = model.tensors().get(op.input(2));
            assertArrayEquals(new int[] {TOYCAR_WIDTHS[layer + 1]}, bias.shape());
            assertEquals(4L * TOYCAR_WIDTHS[layer + 1], bias.data().byteSize());
            TensorInfo out = model.tensors().get(op.output(0));
            assertArrayEquals(new int[] {1, TOYCAR_WIDTHS[layer + 1]}, out.shape());
            assertNull(out.data());
            FullyConnectedOptions fc = (FullyConnectedOptions) op.options();
            assertEquals(layer < 9 ? ActivationFunction.RELU : ActivationFunction.NONE, fc.activation(),
                    "RELU on all but the last layer");
            assertEquals(0, fc.weightsFormat());
            assertFalse(fc.keepNumDims());
            assertFalse(fc.asymmetricQuantizeInputs(), "the README: symmetric hybrid inputs");
            previous = op.output(0);
        }
        assertEquals(30, previous);
    }

    @Test
    void toyCarFloatWeightsAreInPlace() throws IOException, NoSuchAlgorithmException {
        byte[] file = TestModels.bytes(TestModels.TOYCAR);
        MemorySegment segment = MemorySegment.ofArray(file);
        ModelFile model = ModelFile.read(segment);
        TensorInfo w = model.tensors().get(11);
        assertTrue(segment.asOverlappingSlice(w.data()).isPresent());
        assertEquals(732056, w.data().address() - segment.address(), "a slice of the file, at the data's offset");
        assertEquals("cc1a9e890a1bead2ae73b4de9f40d4803011e5e431a2250f0f443d752b9f92c5", sha256(w.data()));
        assertTrue(w.data().isReadOnly());
        file[732056] ^= 1; // the slice views the caller's bytes
        assertEquals(file[732056], w.data().get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void helloWorldFloat() throws IOException {
        try (ModelFile model = ModelFile.open(TestModels.path(TestModels.HELLO_FLOAT))) {
            checkHelloWorld(model, TensorType.FLOAT32, TensorType.FLOAT32, TensorType.FLOAT32);
        }
    }

    @Test
    void helloWorldInt8HasInt8InputAndOutput() throws IOException {
        try (ModelFile model = ModelFile.open(TestModels.path(TestModels.HELLO_INT8))) {
            checkHelloWorld(model, TensorType.INT8, TensorType.INT8, TensorType.INT32);
            TensorInfo input = model.tensors().get(model.inputs()[0]);
            assertEquals("serving_default_dense_input:0", input.name());
            assertEquals(0x3cc88a86, Float.floatToRawIntBits(input.quantization().scale(0)));
            assertEquals(-128, input.quantization().zeroPoint(0));
            TensorInfo output = model.tensors().get(model.outputs()[0]);
            assertEquals("StatefulPartitionedCall:0", output.name());
            assertEquals(0x3c07d6cb, Float.floatToRawIntBits(output.quantization().scale(0)));
            assertEquals(5, output.quantization().zeroPoint(0));
            // Tensor 6: the first layer's weights [16, 1]; tensor 5: its int32 bias.
            TensorInfo w = model.tensors().get(6);
            assertEquals("sequential/dense/MatMul", w.name());
            assertEquals(0x3b8459aa, Float.floatToRawIntBits(w.quantization().scale(0)));
            assertArrayEquals(new byte[] {-9, -54, 57, 71, 104, 115, 98, 99},
                    w.data().asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0x38cf5b55, Float.floatToRawIntBits(model.tensors().get(5).quantization().scale(0)));
            Map<Integer, Integer> zeroPoints = Map.of(0, -128, 7, -128, 8, -128, 9, 5);
            for (TensorInfo t : model.tensors()) {
                assertNotNull(t.quantization(), t.name());
                assertEquals((long) zeroPoints.getOrDefault(t.index(), 0), t.quantization().zeroPoint(0), t.name());
            }
        }
    }

    private static void checkHelloWorld(ModelFile model, TensorType io, TensorType weights, TensorType bias) {
        int[] widths = {1, 16, 16, 1};
        assertEquals(3, model.version());
        assertEquals(10, model.tensors().size());
        assertEquals(3, model.operators().size());
        assertEquals(1, model.subgraphCount());
        TensorInfo input = model.tensors().get(model.inputs()[0]);
        assertEquals(io, input.type());
        assertArrayEquals(new int[] {1, 1}, input.shape());
        assertEquals(io, model.tensors().get(model.outputs()[0]).type());
        int previous = model.inputs()[0];
        for (int layer = 0; layer < 3; layer++) {
            OperatorInfo op = model.operators().get(layer);
            assertEquals(BuiltinOperator.FULLY_CONNECTED, op.op());
            assertEquals(previous, op.input(0));
            TensorInfo w = model.tensors().get(op.input(1));
            assertEquals(weights, w.type());
            assertArrayEquals(new int[] {widths[layer + 1], widths[layer]}, w.shape());
            assertEquals(bias, model.tensors().get(op.input(2)).type());
            assertEquals(layer < 2 ? ActivationFunction.RELU : ActivationFunction.NONE,
                    ((FullyConnectedOptions) op.options()).activation());
            TensorInfo out = model.tensors().get(op.output(0));
            assertEquals(io, out.type());
            previous = op.output(0);
        }
        assertEquals(model.outputs()[0], previous);
    }

    @Test
    void closeUnmapsAndIsIdempotent() throws IOException {
        ModelFile model = ModelFile.open(TestModels.path(TestModels.HELLO_INT8));
        MemorySegment data = model.tensors().get(6).data();
        assertEquals(-9, data.get(ValueLayout.JAVA_BYTE, 0));
        List<TensorInfo> tensors = model.tensors();
        model.close();
        model.close();
        assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals("sequential/dense/MatMul", tensors.get(6).name(), "decoded facts outlive the mapping");
    }

    @Test
    void dataIsReadOnlyWhenMapped() throws IOException {
        try (ModelFile model = ModelFile.open(TestModels.path(TestModels.HELLO_INT8))) {
            MemorySegment data = model.tensors().get(6).data();
            assertTrue(data.isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> data.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
    }

    private static String sha256(MemorySegment data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(data.toArray(ValueLayout.JAVA_BYTE)));
    }
}
