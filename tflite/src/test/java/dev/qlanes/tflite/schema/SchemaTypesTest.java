package dev.qlanes.tflite.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The schema enums' codes and the records' invariants. */
class SchemaTypesTest {

    @Test
    void codesAreTheSchemas() {
        for (TensorType t : TensorType.values()) {
            assertEquals(t, TensorType.of(t.code()));
        }
        assertEquals(23, TensorType.values().length);
        assertEquals(TensorType.INT8, TensorType.of(9));
        assertEquals(TensorType.FLOAT8_E5M2, TensorType.of(22));
        for (BuiltinOperator op : BuiltinOperator.values()) {
            assertEquals(op, BuiltinOperator.of(op.code()));
        }
        assertEquals(9, BuiltinOperator.FULLY_CONNECTED.code());
        assertEquals(114, BuiltinOperator.QUANTIZE.code());
        assertEquals(127, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES.code());
        assertEquals(209, BuiltinOperator.STABLEHLO_CASE.code());
        assertEquals(5, ActivationFunction.SIGN_BIT.code());
        assertThrows(IllegalArgumentException.class, () -> TensorType.of(23));
        assertThrows(IllegalArgumentException.class, () -> BuiltinOperator.of(-1));
        assertThrows(IllegalArgumentException.class, () -> ActivationFunction.of(6));
    }

    @Test
    void byteSizes() {
        assertEquals(4, TensorType.FLOAT32.elementSize());
        assertEquals(16, TensorType.COMPLEX128.elementSize());
        assertEquals(0, TensorType.INT4.elementSize());
        assertEquals(5, TensorType.INT4.byteSize(9));
        assertEquals(3, TensorType.INT2.byteSize(9));
        assertEquals(-1, TensorType.STRING.byteSize(9));
        assertThrows(ArithmeticException.class, () -> TensorType.INT64.byteSize(Long.MAX_VALUE / 4));
    }

    @Test
    void recordsCheckTheirInvariants() {
        assertThrows(IllegalArgumentException.class, () -> Quantization.perTensor(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> Quantization.perTensor(Float.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Quantization(new float[2], new long[1], 0));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorInfo(0, "", TensorType.INT8, new int[] {-1}, null, null, null, false));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorInfo(0, "", TensorType.INT8, new int[] {2}, new int[] {-1, 2}, null, null, false));
        assertThrows(IllegalArgumentException.class, () -> new TensorInfo(0, "", TensorType.INT32, new int[] {2},
                null, java.lang.foreign.MemorySegment.ofArray(new byte[7]), null, false));
        assertThrows(IllegalArgumentException.class, () -> new OperatorInfo(0, BuiltinOperator.ADD, new int[0],
                new int[0], new MulOptions(ActivationFunction.NONE)));
        assertThrows(IllegalArgumentException.class, () -> new OperatorInfo(0, BuiltinOperator.ADD, new int[] {-2},
                new int[0], OperatorOptions.None.INSTANCE));
        assertThrows(IllegalArgumentException.class,
                () -> new FullyConnectedOptions(ActivationFunction.NONE, 2, false, false));
        assertEquals(-1, TensorInfo.elementCount(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
        assertEquals(0, TensorInfo.elementCount(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                0}));
    }
}
