package dev.qlanes.tflite.internal;

import dev.qlanes.tflite.schema.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Reads constant tensor data, which TFLite stores little-endian, into Java arrays. */
final class Constants {
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Constants() {}

    static float[] floats(TensorInfo t) {
        float[] a = new float[Math.toIntExact(t.elementCount())];
        copyFloats(t, a);
        return a;
    }

    static int[] ints(TensorInfo t) {
        int[] a = new int[Math.toIntExact(t.elementCount())];
        MemorySegment.copy(t.data(), INT_LE, 0, a, 0, a.length);
        return a;
    }

    static byte[] bytes(TensorInfo t) {
        byte[] a = new byte[Math.toIntExact(t.elementCount())];
        copyBytes(t, a);
        return a;
    }

    static void copyFloats(TensorInfo t, float[] into) {
        MemorySegment.copy(t.data(), FLOAT_LE, 0, into, 0, into.length);
    }

    static void copyBytes(TensorInfo t, byte[] into) {
        MemorySegment.copy(t.data(), ValueLayout.JAVA_BYTE, 0, into, 0, into.length);
    }
}
