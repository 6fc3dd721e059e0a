package dev.qlanes.tflite.schema;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a subgraph: TFLite's {@code Tensor} table, validated.
 *
 * @param index the tensor's index in its subgraph
 * @param name its name ({@code ""} when the file has none)
 * @param type its element type
 * @param shape its dimensions, each {@code >= 0} (copied in and out)
 * @param shapeSignature the shape with {@code -1} for dimensions unknown until run time, same rank as
 *        {@code shape}, or null when the file has none (copied in and out)
 * @param data the constant data, little-endian, exactly {@code type.byteSize(elementCount())} bytes for types of a
 *        fixed size: a read-only slice of the model's own memory (not a copy), valid until the {@link ModelFile}
 *        is closed, and not necessarily aligned. Null when the tensor has no constant data (buffer 0 or an empty
 *        buffer): an input, an output, an intermediate or a variable.
 * @param quantization its quantization, or null when the file has none or an empty one
 * @param isVariable whether it is a variable tensor (state kept across invocations; never constant data)
 */
public record TensorInfo(int index, String name, TensorType type, int[] shape, int[] shapeSignature,
                         MemorySegment data, Quantization quantization, boolean isVariable) {

    /**
     * @throws IllegalArgumentException for a negative index or dimension, a signature of another rank, a
     *         shape whose element count overflows a {@code long}, or data of the wrong size
     * @throws NullPointerException if name, type or shape is null
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        shapeSignature = shapeSignature == null ? null : shapeSignature.clone();
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " < 0");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (shapeSignature != null) {
            if (shapeSignature.length != shape.length) {
                throw new IllegalArgumentException("shape signature " + Arrays.toString(shapeSignature)
                        + " has another rank than shape " + Arrays.toString(shape));
            }
            for (int d : shapeSignature) {
                if (d < -1) {
                    throw new IllegalArgumentException("dimension < -1 in shape signature "
                            + Arrays.toString(shapeSignature));
                }
            }
        }
        long count = elementCount(shape);
        if (count < 0) {
            throw new IllegalArgumentException("element count of shape " + Arrays.toString(shape)
                    + " overflows a long");
        }
        if (data != null && type.hasFixedSize() && data.byteSize() != type.byteSize(count)) {
            throw new IllegalArgumentException("data of " + data.byteSize() + " bytes for shape "
                    + Arrays.toString(shape) + " of " + type);
        }
    }

    /**
     * @param shape dimensions, each {@code >= 0}
     * @return the product of the dimensions (1 for rank 0, 0 when a dimension is 0), or -1 when it overflows a
     *         {@code long}
     */
    static long elementCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : shape) {
            if (count > Long.MAX_VALUE / d) {
                return -1;
            }
            count *= d;
        }
        return count;
    }

    /** @return a copy of the shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return a copy of the shape signature, or null */
    @Override
    public int[] shapeSignature() {
        return shapeSignature == null ? null : shapeSignature.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param i {@code 0 <= i < rank()}
     * @return dimension {@code i} of the shape
     */
    public int dim(int i) {
        return shape[i];
    }

    /** @return the product of the dimensions (1 for a scalar) */
    public long elementCount() {
        return elementCount(shape);
    }

    /** @return whether the tensor holds constant data */
    public boolean isConstant() {
        return data != null;
    }

    /** Equal when every component is; {@code data} compares as the same memory (address and size). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && index == t.index && isVariable == t.isVariable && name.equals(t.name)
                && type == t.type && Arrays.equals(shape, t.shape) && Arrays.equals(shapeSignature, t.shapeSignature)
                && Objects.equals(data, t.data) && Objects.equals(quantization, t.quantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name, type, Arrays.hashCode(shape), Arrays.hashCode(shapeSignature), data,
                quantization, isVariable);
    }

    @Override
    public String toString() {
        return "TensorInfo[" + index + " '" + name + "' " + type + " " + Arrays.toString(shape)
                + (shapeSignature == null ? "" : " signature " + Arrays.toString(shapeSignature))
                + (data == null ? "" : ", " + data.byteSize() + " bytes of data")
                + (quantization == null ? "" : ", " + quantization) + (isVariable ? ", variable" : "") + "]";
    }
}
