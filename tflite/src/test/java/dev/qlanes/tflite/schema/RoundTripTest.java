package dev.qlanes.tflite.schema;

import dev.qlanes.tflite.testing.TfLiteModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models written by {@link TfLiteModelWriter} read back as written. */
class RoundTripTest {

    @Test
    void perChannelFullyConnectedWithEveryOption() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter().description("round trip");
        byte[] weights = new byte[5 * 4];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (i * 13 - 128);
        }
        float[] scales = {0.01f, 0.02f, 0.03f, 0.04f, 0.05f};
        int in = w.tensor("in", TensorType.INT8, 2, 3, 4).shapeSignature(-1, 3, 4).quantization(0.05f, -3).add();
        int wt = w.tensor("w", TensorType.INT8, 5, 4).perChannel(scales, 0).data(weights).add();
        int bias = w.tensor("b", TensorType.INT32, 5).data(new int[] {1, -2, 3, -4, 5}).add();
        int out = w.tensor("out", TensorType.INT8, 2, 3, 5).quantization(0.1f, 127).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, bias).outputs(out)
                .options(new FullyConnectedOptions(ActivationFunction.RELU6, 1, true, true)).add();
        w.inputs(in).outputs(out);

        ModelFile m = w.read();
        assertEquals(3, m.version());
        assertEquals("round trip", m.description());
        assertEquals(1, m.subgraphCount());
        assertArrayEquals(new int[] {in}, m.inputs());
        assertArrayEquals(new int[] {out}, m.outputs());
        TensorInfo input = m.tensors().get(in);
        assertEquals(new TensorInfo(in, "in", TensorType.INT8, new int[] {2, 3, 4}, new int[] {-1, 3, 4}, null,
                Quantization.perTensor(0.05f, -3), false), input);
        assertEquals(24, input.elementCount());
        assertEquals(3, input.rank());
        TensorInfo wInfo = m.tensors().get(wt);
        assertArrayEquals(weights, wInfo.data().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(new Quantization(scales, new long[5], 0), wInfo.quantization());
        assertTrue(wInfo.quantization().perChannel());
        assertNull(wInfo.shapeSignature());
        MemorySegment b = m.tensors().get(bias).data();
        assertEquals(-4, b.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 3));
        assertEquals(0, b.address() % 16, "constant data is 16-byte aligned in the writer's output");
        OperatorInfo op = m.operators().get(0);
        assertEquals(new OperatorInfo(0, BuiltinOperator.FULLY_CONNECTED, new int[] {in, wt, bias}, new int[] {out},
                new FullyConnectedOptions(ActivationFunction.RELU6, 1, true, true)), op);
        assertNull(op.customCode());
    }

    @Test
    void noBiasIsAnAbsentOptionalInput() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int wt = w.tensor("w", TensorType.INT8, 2, 4).quantization(0.5f, 0).data(new byte[8]).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1, 2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, -1).outputs(out).add();
        w.inputs(in).outputs(out);
        OperatorInfo op = w.read().operators().get(0);
        assertEquals(-1, op.input(2));
        assertSame(FullyConnectedOptions.DEFAULTS, op.options(), "no options table: the schema's defaults");
    }

    @ParameterizedTest
    @EnumSource(ActivationFunction.class)
    void everyActivation(ActivationFunction activation) throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 4).add();
        int c = w.tensor("c", TensorType.FLOAT32, 4).add();
        w.operator(BuiltinOperator.ADD).inputs(a, a).outputs(c).options(new AddOptions(activation)).add();
        w.operator(BuiltinOperator.MUL).inputs(c, a).outputs(c).options(new MulOptions(activation)).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(a, a).outputs(c)
                .options(new FullyConnectedOptions(activation, 0, false, false)).add();
        ModelFile m = w.read();
        assertEquals(new AddOptions(activation), m.operators().get(0).options());
        assertEquals(new MulOptions(activation), m.operators().get(1).options());
        assertEquals(activation, ((FullyConnectedOptions) m.operators().get(2).options()).activation());
    }

    @Test
    void quantizeAroundAnInt8Graph() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int f = w.tensor("f", TensorType.FLOAT32, 1, 8).add();
        int q = w.tensor("q", TensorType.INT8, 1, 8).quantization(0.25f, -1).add();
        int u = w.tensor("u", TensorType.UINT8, 1, 8).quantization(0.25f, 255).add();
        int back = w.tensor("back", TensorType.FLOAT32, 1, 8).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(f).outputs(q).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(q).outputs(u).add(); // requantize int8 -> uint8
        w.operator(BuiltinOperator.DEQUANTIZE).inputs(u).outputs(back).add();
        w.inputs(f).outputs(back);
        ModelFile m = w.read();
        assertEquals(BuiltinOperator.QUANTIZE, m.operators().get(1).op());
        assertEquals(TensorType.INT8, m.tensors().get(m.operators().get(1).input(0)).type());
        assertSame(OperatorOptions.None.INSTANCE, m.operators().get(0).options());
        assertEquals(BuiltinOperator.DEQUANTIZE, m.operators().get(2).op());
        assertEquals(255, m.tensors().get(u).quantization().zeroPoint(0));
    }

    @Test
    void softmaxReshapeAndCustomOptions() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2, 3).add();
        int b = w.tensor("b", TensorType.FLOAT32, 6).add();
        w.operator(BuiltinOperator.SOFTMAX).inputs(a).outputs(a).options(new SoftmaxOptions(0.5f)).add();
        w.operator(BuiltinOperator.SOFTMAX).inputs(a).outputs(a).add();
        w.operator(BuiltinOperator.RESHAPE).inputs(a).outputs(b).options(new ReshapeOptions(new int[] {-1})).add();
        w.operator(BuiltinOperator.RESHAPE).inputs(a).outputs(b).options(new ReshapeOptions(null)).add();
        w.customOperator("MyOp").inputs(a).outputs(b).customOptions(new byte[] {1, 2, 3}).add();
        w.customOperator("Other").inputs(a).outputs(b).add();
        ModelFile m = w.read();
        assertEquals(new SoftmaxOptions(0.5f), m.operators().get(0).options());
        assertEquals(new SoftmaxOptions(0f), m.operators().get(1).options());
        assertArrayEquals(new int[] {-1}, ((ReshapeOptions) m.operators().get(2).options()).newShape());
        assertNull(((ReshapeOptions) m.operators().get(3).options()).newShape());
        OperatorInfo custom = m.operators().get(4);
        assertEquals(BuiltinOperator.CUSTOM, custom.op());
        assertEquals("MyOp", custom.customCode());
        assertArrayEquals(new byte[] {1, 2, 3},
                ((CustomOptions) custom.options()).data().toArray(ValueLayout.JAVA_BYTE));
        assertEquals("Other", m.operators().get(5).customCode());
        assertNull(((CustomOptions) m.operators().get(5).options()).data());
    }

    @Test
    void extendedAndDeprecatedOperatorCodes() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.FLOAT32, 2).add();
        w.operator(BuiltinOperator.CUMSUM).inputs(a).outputs(a).add();            // 128: byte field holds 127
        w.operator(BuiltinOperator.STABLEHLO_CASE).inputs(a).outputs(a).add();    // 209, the last code
        int old = w.addRawOperatorCode(BuiltinOperator.FULLY_CONNECTED.code(), 0, null); // pre-3a file
        w.operator(BuiltinOperator.ADD).opcodeIndex(old).inputs(a).outputs(a).add();
        ModelFile m = w.read();
        assertEquals(BuiltinOperator.CUMSUM, m.operators().get(0).op());
        assertEquals(BuiltinOperator.STABLEHLO_CASE, m.operators().get(1).op());
        assertEquals(BuiltinOperator.FULLY_CONNECTED, m.operators().get(2).op());
        assertSame(FullyConnectedOptions.DEFAULTS, m.operators().get(2).options());
    }

    @Test
    void externalBuffersAfterTheFlatBuffer() throws IOException {
        byte[] weights = new byte[3000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (i * 7);
        }
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 100).add();
        int wt = w.tensor("w", TensorType.INT8, 30, 100).quantization(0.5f, 0).externalData(weights).add();
        int bias = w.tensor("b", TensorType.FLOAT32, 30).externalData(new byte[120]).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1, 30).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, bias).outputs(out).add();
        byte[] file = w.toBytes();
        MemorySegment segment = MemorySegment.ofArray(file);
        ModelFile m = ModelFile.read(segment);
        MemorySegment data = m.tensors().get(wt).data();
        assertArrayEquals(weights, data.toArray(ValueLayout.JAVA_BYTE));
        long offset = data.address() - segment.address();
        assertTrue(offset + weights.length <= file.length && offset > file.length - weights.length - 200,
                "the data lies after the FlatBuffer");
        assertEquals(120, m.tensors().get(bias).data().byteSize());
    }

    @Test
    void packedSubByteTypesAndFixedSizes() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("int4", TensorType.INT4, 3, 3).quantization(0.5f, -8).data(new byte[5]).add(); // 9 nibbles
        w.tensor("int2", TensorType.INT2, 5).quantization(0.5f, 1).data(new byte[2]).add();     // 5 crumbs
        w.tensor("f16", TensorType.FLOAT16, 3).data(new byte[6]).add();
        w.tensor("c128", TensorType.COMPLEX128, 1).data(new byte[16]).add();
        w.tensor("s", TensorType.STRING, 2).data(new byte[] {2, 0, 0, 0, 16, 0, 0, 0, 17, 0, 0, 0, 18, 0, 0, 0,
                'a', 'b'}).add();
        w.tensor("scalar", TensorType.FLOAT32).data(new float[] {1.5f}).add();
        w.tensor("empty", TensorType.INT8, 0, 4).add();
        ModelFile m = w.read();
        assertEquals(5, m.tensors().get(0).data().byteSize());
        assertEquals(2, m.tensors().get(1).data().byteSize());
        assertEquals(18, m.tensors().get(4).data().byteSize(), "string tensors have no fixed size");
        assertEquals(1, m.tensors().get(5).elementCount());
        assertEquals(0, m.tensors().get(5).rank());
        assertEquals(0, m.tensors().get(6).elementCount());
    }

    @Test
    void uint8PerChannelAlongTheLastDimension() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.UINT8, 1, 2, 3).quantization(new float[] {1, 2, 3}, new long[] {0, 128, 255}, 2)
                .data(new byte[6]).add();
        Quantization q = w.read().tensors().get(0).quantization();
        assertEquals(2, q.quantizedDimension());
        assertEquals(3, q.count());
        assertArrayEquals(new long[] {0, 128, 255}, q.zeroPoints());
    }

    @Test
    void emptyQuantizationAndMalformedNamesAreLenient() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("q", TensorType.INT8, 2).quantization(new float[0], null, 0).add(); // TFLite: no quantization
        w.tensor(null, TensorType.INT8, 2).rawName(new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'}).add();
        w.tensor(null, TensorType.INT8, 2).add();
        ModelFile m = w.read();
        assertNull(m.tensors().get(0).quantization());
        assertEquals("a\uFFFD(b", m.tensors().get(1).name());
        assertEquals("", m.tensors().get(2).name());
    }

    @Test
    void extraSubgraphsAreCounted() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter().extraSubgraphs(2);
        w.tensor("a", TensorType.FLOAT32, 1).add();
        ModelFile m = w.read();
        assertEquals(3, m.subgraphCount());
        assertEquals(1, m.tensors().size());
    }

    @Test
    void openReadsAWrittenFileIntoNativeMemory(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        w.tensor("w", TensorType.INT8, 2, 2).quantization(1f, 0).data(new byte[] {1, 2, 3, 4}).add();
        Path file = dir.resolve("m.tflite");
        Files.write(file, w.toBytes());
        try (ModelFile m = ModelFile.open(file)) {
            Files.delete(file); // read, not mapped: the file is no longer needed
            MemorySegment data = m.tensors().get(0).data();
            assertTrue(data.isNative() && !data.isMapped() && data.isReadOnly(), data::toString);
            assertEquals(4, data.get(ValueLayout.JAVA_BYTE, 3));
        }
    }

    @Test
    void accessorsCopyArrays() throws IOException {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int a = w.tensor("a", TensorType.INT8, 2, 3).quantization(1f, 0).add();
        w.operator(BuiltinOperator.RELU).inputs(a).outputs(a).add();
        w.inputs(a).outputs(a);
        ModelFile m = w.read();
        m.tensors().get(0).shape()[0] = 99;
        m.tensors().get(0).quantization().scales()[0] = 99;
        m.operators().get(0).inputs()[0] = 99;
        m.inputs()[0] = 99;
        assertEquals(2, m.tensors().get(0).dim(0));
        assertEquals(1f, m.tensors().get(0).quantization().scale(0));
        assertEquals(a, m.operators().get(0).input(0));
        assertEquals(a, m.inputs()[0]);
    }
}
