package dev.qlanes.tflite.schema;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of a FlatBuffer over a {@link MemorySegment}: the few accessors the model reader needs, each
 * checking every offset and length against the bytes present before it reads or allocates, and failing with a
 * {@link ModelFormatException} that says what was being read. Positions are {@code long} (a model file may be
 * larger than 2 GiB: its buffers may lie after the FlatBuffer).
 *
 * <p>Layout (FlatBuffers' binary format): a table starts with a signed 32-bit offset back to its vtable; the vtable
 * holds its own size and the table's inline size (16-bit each), then one 16-bit offset per field slot, 0 for an
 * absent field. References to tables, vectors and strings are unsigned 32-bit offsets from the reference's own
 * position. A vector (and a string) is a 32-bit element count followed by the elements. All little-endian.
 */
final class FlatBuffer {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Smallest vtable: its own size and the table's size, no field slots. */
    private static final int VTABLE_HEADER = 4;
    /** A table holds at least the offset to its vtable. */
    private static final int TABLE_HEADER = 4;

    final MemorySegment bytes;
    final long size;

    FlatBuffer(MemorySegment bytes) {
        this.bytes = bytes;
        this.size = bytes.byteSize();
    }

    /** @return whether {@code [pos, pos + length)} lies within the buffer; false on overflow */
    boolean contains(long pos, long length) {
        return pos >= 0 && length >= 0 && pos <= size && length <= size - pos;
    }

    private void require(long pos, long length, String what) throws ModelFormatException {
        if (!contains(pos, length)) {
            throw new ModelFormatException(what + ": " + length + " bytes at offset " + pos
                    + " run past the end of the file (" + size + " bytes)");
        }
    }

    int u8(long pos) {
        return bytes.get(ValueLayout.JAVA_BYTE, pos) & 0xFF;
    }

    int u16(long pos) {
        return bytes.get(I16, pos) & 0xFFFF;
    }

    int i32(long pos) {
        return bytes.get(I32, pos);
    }

    long u32(long pos) {
        return bytes.get(I32, pos) & 0xFFFF_FFFFL;
    }

    long i64(long pos) {
        return bytes.get(I64, pos);
    }

    float f32(long pos) {
        return bytes.get(F32, pos);
    }

    /**
     * Follows the unsigned offset stored at {@code pos}.
     *
     * @return the position it points to, checked to leave at least {@code minimum} bytes in the buffer
     */
    long follow(long pos, int minimum, String what) throws ModelFormatException {
        require(pos, 4, what);
        long target = pos + u32(pos);
        if (!contains(target, minimum)) {
            throw new ModelFormatException(what + ": offset at " + pos + " points to " + target
                    + ", outside the file (" + size + " bytes)");
        }
        return target;
    }

    /** The root table: the offset at position 0. */
    Table root(String what) throws ModelFormatException {
        return table(follow(0, TABLE_HEADER, what), what);
    }

    /** The table at {@code pos}, with its vtable checked. */
    Table table(long pos, String what) throws ModelFormatException {
        require(pos, TABLE_HEADER, what);
        long vtable = pos - i32(pos);
        if (!contains(vtable, VTABLE_HEADER)) {
            throw new ModelFormatException(what + ": the vtable of the table at offset " + pos + " would be at "
                    + vtable + ", outside the file (" + size + " bytes)");
        }
        int vtableSize = u16(vtable);
        int tableSize = u16(vtable + 2);
        if (vtableSize < VTABLE_HEADER || (vtableSize & 1) != 0 || !contains(vtable, vtableSize)) {
            throw new ModelFormatException(what + ": the vtable at offset " + vtable + " claims an invalid size of "
                    + vtableSize + " bytes (file: " + size + " bytes)");
        }
        if (tableSize < TABLE_HEADER || !contains(pos, tableSize)) {
            throw new ModelFormatException(what + ": the table at offset " + pos + " claims an invalid size of "
                    + tableSize + " bytes (file: " + size + " bytes)");
        }
        return new Table(pos, vtable, vtableSize, tableSize, what);
    }

    /** A vector's element start and count, with {@code count * elementSize} bytes checked to be present. */
    record Vector(long start, long count) {
    }

    Vector vector(long pos, int elementSize, String what) throws ModelFormatException {
        require(pos, 4, what);
        long count = u32(pos);
        long start = pos + 4;
        if (count > (size - start) / elementSize) {
            throw new ModelFormatException(what + ": vector at offset " + pos + " claims " + count + " elements of "
                    + elementSize + " bytes, but only " + (size - start) + " bytes follow");
        }
        return new Vector(start, count);
    }

    /**
     * A table's fields by slot (the n-th field of the schema's table, counting a union as two: its type, then its
     * value).
     */
    final class Table {
        final long pos;
        private final long vtable;
        private final int vtableSize;
        private final int tableSize;
        final String what;

        Table(long pos, long vtable, int vtableSize, int tableSize, String what) {
            this.pos = pos;
            this.vtable = vtable;
            this.vtableSize = vtableSize;
            this.tableSize = tableSize;
            this.what = what;
        }

        /** @return this table, with {@code newWhat} naming it in messages (e.g. once its name is known) */
        Table as(String newWhat) {
            return new Table(pos, vtable, vtableSize, tableSize, newWhat);
        }

        /** @return the field's position, or -1 when absent; a present field must lie within the table */
        long field(int slot, int width, String name) throws ModelFormatException {
            int entry = VTABLE_HEADER + 2 * slot;
            if (entry + 2 > vtableSize) {
                return -1;
            }
            int offset = u16(vtable + entry);
            if (offset == 0) {
                return -1;
            }
            if (offset < TABLE_HEADER || offset + width > tableSize) {
                throw new ModelFormatException(what + ": field '" + name + "' at offset " + offset
                        + " of a table of " + tableSize + " bytes (at " + pos + ")");
            }
            return pos + offset;
        }

        boolean has(int slot, String name) throws ModelFormatException {
            return field(slot, 1, name) >= 0;
        }

        int u8(int slot, String name, int absent) throws ModelFormatException {
            long f = field(slot, 1, name);
            return f < 0 ? absent : FlatBuffer.this.u8(f);
        }

        int i8(int slot, String name, int absent) throws ModelFormatException {
            long f = field(slot, 1, name);
            return f < 0 ? absent : bytes.get(ValueLayout.JAVA_BYTE, f);
        }

        boolean bool(int slot, String name) throws ModelFormatException {
            return u8(slot, name, 0) != 0;
        }

        int i32(int slot, String name, int absent) throws ModelFormatException {
            long f = field(slot, 4, name);
            return f < 0 ? absent : FlatBuffer.this.i32(f);
        }

        long u32(int slot, String name, long absent) throws ModelFormatException {
            long f = field(slot, 4, name);
            return f < 0 ? absent : FlatBuffer.this.u32(f);
        }

        /** A {@code ulong} field as a signed long: values of 2^63 and above come back negative. */
        long u64(int slot, String name, long absent) throws ModelFormatException {
            long f = field(slot, 8, name);
            return f < 0 ? absent : i64(f);
        }

        float f32(int slot, String name, float absent) throws ModelFormatException {
            long f = field(slot, 4, name);
            return f < 0 ? absent : FlatBuffer.this.f32(f);
        }

        /** @return the referenced table, or null when absent */
        Table table(int slot, String name, String tableWhat) throws ModelFormatException {
            long f = field(slot, 4, name);
            return f < 0 ? null : FlatBuffer.this.table(follow(f, TABLE_HEADER, tableWhat), tableWhat);
        }

        /** @return the referenced vector, or null when absent */
        Vector vector(int slot, int elementSize, String name) throws ModelFormatException {
            long f = field(slot, 4, name);
            if (f < 0) {
                return null;
            }
            String vectorWhat = what + ", " + name;
            return FlatBuffer.this.vector(follow(f, 4, vectorWhat), elementSize, vectorWhat);
        }

        /** @return the referenced string's UTF-8 bytes as a vector, or null when absent */
        Vector string(int slot, String name) throws ModelFormatException {
            return vector(slot, 1, name);
        }
    }

    /** The table that element {@code i} of a vector of tables refers to. */
    Table tableAt(Vector v, long i, String what) throws ModelFormatException {
        return table(follow(v.start() + 4 * i, TABLE_HEADER, what), what);
    }

    /** Decodes UTF-8 leniently: malformed sequences become U+FFFD. The caller has charged the bytes. */
    String utf8(Vector v) {
        byte[] b = bytes.asSlice(v.start(), v.count()).toArray(ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }
}
