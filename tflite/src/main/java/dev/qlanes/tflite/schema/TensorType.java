package dev.qlanes.tflite.schema;

/**
 * The element type of a tensor: {@code enum TensorType : byte} of TFLite's schema, every code with its name.
 */
public enum TensorType {
    FLOAT32(0, 32),
    FLOAT16(1, 16),
    INT32(2, 32),
    UINT8(3, 8),
    INT64(4, 64),
    /** Variable size: TFLite's string tensor format (a count, offsets, then the bytes). */
    STRING(5, 0),
    BOOL(6, 8),
    INT16(7, 16),
    COMPLEX64(8, 64),
    INT8(9, 8),
    FLOAT64(10, 64),
    COMPLEX128(11, 128),
    UINT64(12, 64),
    /** Experimental in TFLite; no fixed size. */
    RESOURCE(13, 0),
    /** Experimental in TFLite; no fixed size. */
    VARIANT(14, 0),
    UINT32(15, 32),
    UINT16(16, 16),
    /** Two elements per byte in constant buffers, as TFLite packs them. */
    INT4(17, 4),
    BFLOAT16(18, 16),
    /** Four elements per byte in constant buffers. */
    INT2(19, 2),
    /** Two elements per byte in constant buffers. */
    UINT4(20, 4),
    FLOAT8_E4M3FN(21, 8),
    FLOAT8_E5M2(22, 8);

    private static final TensorType[] BY_CODE = values();

    private final int code;
    private final int bits;

    TensorType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** @return the schema's code of this type */
    public int code() {
        return code;
    }

    /**
     * @return bytes per element: 1 to 16 for the byte-sized types, 0 for the packed sub-byte types
     *         ({@link #INT4}, {@link #UINT4}, {@link #INT2}: see {@link #bitWidth()}) and for the types without a
     *         fixed size ({@link #STRING}, {@link #RESOURCE}, {@link #VARIANT})
     */
    public int elementSize() {
        return bits % 8 == 0 ? bits / 8 : 0;
    }

    /** @return bits per element, or 0 for {@link #STRING}, {@link #RESOURCE} and {@link #VARIANT} */
    public int bitWidth() {
        return bits;
    }

    /** @return whether a constant buffer of this type has a size fixed by its element count */
    public boolean hasFixedSize() {
        return bits != 0;
    }

    /**
     * The bytes a dense constant buffer of {@code elementCount} elements occupies, packed elements rounded up to
     * whole bytes (TFLite's {@code BytesRequired}, with INT4/UINT4/INT2 packed).
     *
     * @param elementCount number of elements, {@code >= 0}
     * @return the byte size, or -1 for a type without a fixed size
     * @throws ArithmeticException if the size overflows a {@code long}
     */
    public long byteSize(long elementCount) {
        if (elementCount < 0) {
            throw new IllegalArgumentException("elementCount " + elementCount + " < 0");
        }
        if (bits == 0) {
            return -1;
        }
        if (bits % 8 == 0) {
            return Math.multiplyExact(elementCount, (long) (bits / 8));
        }
        int perByte = 8 / bits;
        return elementCount / perByte + (elementCount % perByte == 0 ? 0 : 1);
    }

    /**
     * @param code a schema code
     * @return the type with that code
     * @throws IllegalArgumentException for a code the schema does not define
     */
    public static TensorType of(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown tensor type code " + code + " (the schema defines 0.."
                    + (BY_CODE.length - 1) + ")");
        }
        return BY_CODE[code];
    }
}
