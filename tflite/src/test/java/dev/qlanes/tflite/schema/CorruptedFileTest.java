package dev.qlanes.tflite.schema;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.qlanes.tflite.schema.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real models with targeted byte corruptions: FlatBuffers structure (offsets, vtables, vector lengths) and TFLite
 * content (shapes, buffer indices, scales, zero points, operator indices). {@link Probe} finds the bytes to
 * overwrite, independently of the reader.
 */
class CorruptedFileTest {
    private static byte[] hello() {
        return TestModels.bytes(TestModels.HELLO_INT8);
    }

    private static byte[] toyCar() {
        return TestModels.bytes(TestModels.TOYCAR_QUANT);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] full = hello();
        int rejected = 0;
        for (int length = 0; length < full.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            assertRejected(cut);
            rejected++;
        }
        assertEquals(full.length, rejected);
        assertRejected(new byte[0], "file of 0 bytes is too short");
    }

    @Test
    void truncatedLargeModel() {
        byte[] full = toyCar();
        for (int length : new int[] {7, 8, 100, 1000, 182864, 182864 + 81919, full.length / 2, full.length - 1}) {
            assertRejected(java.util.Arrays.copyOf(full, length));
        }
    }

    @Test
    void notATfLiteFile() {
        byte[] b = hello();
        b[7] = '4';
        assertRejected(b, "file identifier is 'TFL4', expected 'TFL3'");
        byte[] text = "hello, this is not a model".getBytes(StandardCharsets.US_ASCII);
        assertRejected(text, "file identifier is 'o, t'");
        byte[] binary = hello();
        binary[4] = 0;
        binary[5] = (byte) 0xFF;
        assertRejected(binary, "'\\x00\\xffL3'");
    }

    @Test
    void rootOffsetOutOfRange() {
        byte[] b = hello();
        new Probe(b).putInt(0, 0x7FFF_FFF0);
        assertRejected(b, "model: offset at 0 points to 2147483632, outside the file (2704 bytes)");
        new Probe(b).putInt(0, -4); // unsigned 4294967292
        assertRejected(b, "model: offset at 0 points to 4294967292");
    }

    @Test
    void vtableOffsetOutOfRange() {
        byte[] b = hello();
        Probe p = new Probe(b);
        int root = p.root();
        p.putInt(root, root + 100_000); // vtable far before the file's start
        assertRejected(b, "model: the vtable of the table at offset " + root, "outside the file");
        p.putInt(root, Integer.MIN_VALUE); // vtable past the end
        assertRejected(b, "model: the vtable", "outside the file");
    }

    @Test
    void vtableAndTableSizesInvalid() {
        byte[] b = hello();
        Probe p = new Probe(b);
        int vtable = p.vtable(p.root());
        p.putShort(vtable, 7); // odd
        assertRejected(b, "model: the vtable at offset " + vtable + " claims an invalid size of 7 bytes");
        b = hello();
        p = new Probe(b);
        p.putShort(vtable, 0xFFFE);
        assertRejected(b, "claims an invalid size of 65534 bytes");
        b = hello();
        p = new Probe(b);
        p.putShort(vtable + 2, 0xFFF0); // the table's inline size
        assertRejected(b, "model: the table at offset", "claims an invalid size of 65520 bytes");
    }

    @Test
    void fieldOutsideItsTable() {
        byte[] b = hello();
        Probe p = new Probe(b);
        int vtable = p.vtable(p.root());
        p.putShort(vtable + 4 + 2 * 2, 0xFFF0); // Model.subgraphs slot
        assertRejected(b, "model: field 'subgraphs' at offset 65520 of a table of");
    }

    @Test
    void vectorLengthsLargerThanTheFile() {
        byte[] b = hello();
        Probe p = new Probe(b);
        p.putInt(p.vector(p.root(), 2), 0x7FFF_FFFF);
        assertRejected(b, "model, subgraphs: vector at offset", "claims 2147483647 elements of 4 bytes");

        b = hello();
        p = new Probe(b);
        p.putInt(p.vector(p.subgraph0(), 0), -1);
        assertRejected(b, "subgraph 0, tensors", "claims 4294967295 elements");

        b = hello();
        p = new Probe(b);
        p.putInt(p.vector(p.tensor(3), 3), 1 << 30); // tensor 3's name
        assertRejected(b, "tensor 3, name", "claims 1073741824 elements of 1 bytes");

        b = hello();
        p = new Probe(b);
        p.putInt(p.vector(p.tensor(4), 0), 1 << 29); // tensor 4's shape
        assertRejected(b, "tensor 4 'sequential/dense_1/MatMul', shape", "claims 536870912 elements of 4 bytes");

        b = hello();
        p = new Probe(b);
        int buffer7 = p.element(p.vector(p.root(), 4), 7);
        p.putInt(p.vector(buffer7, 0), 100_000);
        assertRejected(b, "buffers[7], data", "claims 100000 elements of 1 bytes");
    }

    @Test
    void tableOffsetInAVectorOutOfRange() {
        byte[] b = hello();
        Probe p = new Probe(b);
        int vector = p.vector(p.subgraph0(), 0);
        int slot = vector + 4 + 4 * 2;
        p.putInt(slot, b.length - slot + 1);
        assertRejected(b, "tensor 2: offset at " + slot + " points to " + (b.length + 1));
    }

    @Test
    void noSubgraphsOrNoTensors() {
        byte[] b = hello();
        Probe p = new Probe(b);
        p.putInt(p.vector(p.root(), 2), 0);
        assertRejected(b, "model: no subgraphs");
        b = hello();
        p = new Probe(b);
        int sgVtable = p.vtable(p.subgraph0());
        p.putShort(sgVtable + 4, 0); // SubGraph.tensors absent
        assertRejected(b, "subgraph 0: no tensors vector");
    }

    @Test
    void schemaVersion() {
        byte[] b = hello();
        Probe p = new Probe(b);
        p.putInt(p.field(p.root(), 0), 2);
        assertRejected(b, "model: schema version 2");
    }

    @Test
    void shapeThatNoLongerMatchesItsBuffer() {
        byte[] b = toyCar();
        Probe p = new Probe(b);
        p.putInt(p.vector(p.tensor(11), 0) + 4, 127);
        assertEquals("tensor 11 'functional_1/dense/MatMul': buffer 12 holds 81920 bytes, shape [127, 640] of INT8"
                + " needs 81280", assertRejected(b));
        b = toyCar();
        p = new Probe(b);
        p.putInt(p.vector(p.tensor(11), 0) + 8, -640);
        assertRejected(b, "tensor 11 'functional_1/dense/MatMul': shape [128, -640] has a negative dimension");
    }

    @Test
    void bufferIndexOutOfRange() {
        byte[] b = toyCar();
        Probe p = new Probe(b);
        p.putInt(p.field(p.tensor(11), 2), 33);
        assertRejected(b, "tensor 11 'functional_1/dense/MatMul': buffer 33 is out of range (the model has 33");
    }

    @Test
    void typeCodeOutOfRange() {
        byte[] b = toyCar();
        Probe p = new Probe(b);
        b[p.field(p.tensor(11), 1)] = 42;
        assertRejected(b, "tensor 11 'functional_1/dense/MatMul': unknown tensor type code 42");
    }

    @Test
    void scaleAndZeroPointCorrupted() {
        byte[] b = toyCar();
        Probe p = new Probe(b);
        int quantization = p.deref(p.field(p.tensor(13), 4));
        int scales = p.vector(quantization, 2);
        p.putInt(scales + 4, Float.floatToRawIntBits(Float.NaN));
        assertRejected(b, "tensor 13 'functional_1/dense_2/MatMul': scale[0] = NaN");

        b = toyCar();
        p = new Probe(b);
        quantization = p.deref(p.field(p.tensor(13), 4));
        p.b.putLong(p.vector(quantization, 3) + 4, 200);
        assertRejected(b, "tensor 13 'functional_1/dense_2/MatMul': zero_point[0] = 200 is out of range for INT8");

        b = toyCar();
        p = new Probe(b);
        quantization = p.deref(p.field(p.tensor(13), 4));
        p.putInt(p.vector(quantization, 3), 2); // two zero points, one scale (the vector has room: the file goes on)
        assertRejected(b, "1 scales and 2 zero points");
    }

    @Test
    void operatorIndicesCorrupted() {
        byte[] b = toyCar();
        Probe p = new Probe(b);
        p.putInt(p.vector(p.operator(2), 1) + 8, 31);
        assertRejected(b, "operator 2 (FULLY_CONNECTED): input 1 is tensor 31, but the subgraph has 31 tensors");

        // opcode_index 0 is the default, so the converter left the field out: point its vtable slot at the
        // inputs field instead, whose offset value then reads as the index (operators that share the vtable).
        b = toyCar();
        p = new Probe(b);
        int vtable = p.vtable(p.operator(3));
        assertEquals(-1, p.field(p.operator(3), 0));
        p.putShort(vtable + 4, p.b.getShort(vtable + 6));
        assertRejected(b, ": opcode_index", "is out of range (the model has 1 operator codes)");
    }

    @Test
    void emptyOrMissingFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path empty = java.nio.file.Files.createFile(dir.resolve("empty.tflite"));
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class,
                () -> ModelFile.open(empty));
        assertEquals("file of 0 bytes is too short for a TFLite model (at least 8: root offset and file identifier)",
                e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                () -> ModelFile.open(dir.resolve("missing.tflite")));
    }

    @Test
    void theSameBytesReadFine() throws Exception {
        // The corruptions above start from files that open.
        assertEquals(31, ModelFile.read(MemorySegment.ofArray(toyCar())).tensors().size());
        assertEquals(10, ModelFile.read(MemorySegment.ofArray(hello())).tensors().size());
    }
}
