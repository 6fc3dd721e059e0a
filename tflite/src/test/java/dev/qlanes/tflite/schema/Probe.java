package dev.qlanes.tflite.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal FlatBuffers navigator for tests, written apart from the reader (no bounds checks: it reads only
 * pristine files), to find the byte positions that targeted corruptions overwrite.
 */
final class Probe {
    final ByteBuffer b;

    Probe(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    int root() {
        return b.getInt(0);
    }

    /** Position of a table's field, or -1 when absent. */
    int field(int table, int slot) {
        int vtable = table - b.getInt(table);
        int vtableSize = b.getShort(vtable) & 0xFFFF;
        int entry = 4 + 2 * slot;
        if (entry >= vtableSize) {
            return -1;
        }
        int off = b.getShort(vtable + entry) & 0xFFFF;
        return off == 0 ? -1 : table + off;
    }

    int vtable(int table) {
        return table - b.getInt(table);
    }

    /** Follows the offset stored at {@code pos}. */
    int deref(int pos) {
        return pos + b.getInt(pos);
    }

    /** Position of the vector (its length word) a table's field refers to. */
    int vector(int table, int slot) {
        return deref(field(table, slot));
    }

    /** Table that element {@code i} of a vector of tables refers to. */
    int element(int vector, int i) {
        return deref(vector + 4 + 4 * i);
    }

    int subgraph0() {
        return element(vector(root(), 2), 0);
    }

    int tensor(int i) {
        return element(vector(subgraph0(), 0), i);
    }

    int operator(int i) {
        return element(vector(subgraph0(), 3), i);
    }

    void putInt(int pos, int value) {
        b.putInt(pos, value);
    }

    void putShort(int pos, int value) {
        b.putShort(pos, (short) value);
    }
}
