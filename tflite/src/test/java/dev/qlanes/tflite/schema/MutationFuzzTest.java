package dev.qlanes.tflite.schema;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random mutations and truncations of each real model: whatever the bytes, reading them either succeeds
 * with a self-consistent model or fails with a {@link ModelFormatException} that is a rejection (no cause); nothing
 * else may escape. A mutation that touched only constant data must read back exactly as the pristine file does.
 * Both outcomes must occur, or the test checked nothing.
 *
 * <p>{@code -Dqlanes.fuzz.seed=N} and {@code -Dqlanes.fuzz.iterations=N} change the run; a failure prints the
 * case's own seed.
 */
class MutationFuzzTest {
    private static final long SEED = Long.getLong("qlanes.fuzz.seed", 0x5EED_7F1L);
    private static final int ITERATIONS = Integer.getInteger("qlanes.fuzz.iterations", 4000);
    /** Share of byte mutations aimed at the FlatBuffer's structure rather than anywhere (mostly weights). */
    private static final double STRUCTURAL_SHARE = 0.85;

    static List<String> models() {
        return TestModels.ALL;
    }

    @ParameterizedTest
    @MethodSource("models")
    void onlyRejectionsEscape(String name) throws ModelFormatException {
        byte[] pristine = TestModels.bytes(name);
        byte[] work = pristine.clone();
        // Over the array the mutations change, so that equal data slices are the same memory.
        ModelFile reference = ModelFile.read(MemorySegment.ofArray(work));
        boolean[] isData = dataBytes(MemorySegment.ofArray(work), reference);
        int[] structural = positions(isData, false);
        Random random = new Random(SEED ^ name.hashCode());
        int opened = 0;
        int rejected = 0;
        int comparedWithReference = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            long caseSeed = random.nextLong();
            Mutation m = mutate(work, pristine.length, structural, new Random(caseSeed));
            MemorySegment bytes = MemorySegment.ofArray(work).asSlice(0, m.length());
            try {
                ModelFile model = ModelFile.read(bytes);
                checkConsistent(model, bytes);
                if (m.length() == pristine.length && m.touched().stream().allMatch(p -> isData[p])) {
                    assertEquals(reference.tensors(), model.tensors());
                    assertEquals(reference.operators(), model.operators());
                    comparedWithReference++;
                }
                opened++;
            } catch (ModelFormatException e) {
                if (e.getCause() != null) {
                    throw new AssertionError(name + " case " + i + " (seed " + caseSeed + ", " + m.what()
                            + "): reader defect: " + e.getMessage(), e);
                }
                assertFalse(e.getMessage().isBlank());
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError(name + " case " + i + " (seed " + caseSeed + ", " + m.what() + "): " + t, t);
            } finally {
                for (int p : m.touched()) {
                    work[p] = pristine[p];
                }
            }
        }
        System.out.printf("%s: %d mutations, %d opened (%d compared with the pristine model), %d rejected%n",
                name, ITERATIONS, opened, comparedWithReference, rejected);
        assertTrue(opened > 0, "no mutation opened: the test checked no success");
        assertTrue(rejected > 0, "no mutation was rejected: the test checked no failure");
        assertTrue(comparedWithReference > 0, "no data-only mutation compared with the reference");
    }

    private record Mutation(int length, List<Integer> touched, String what) {
    }

    private static Mutation mutate(byte[] b, int length, int[] structural, Random r) {
        List<Integer> touched = new ArrayList<>();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0 -> { // a few random bytes
                int n = 1 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    int p = position(length, structural, r);
                    b[p] = (byte) r.nextInt();
                    touched.add(p);
                }
                return new Mutation(length, touched, n + " random bytes at " + touched);
            }
            case 1 -> { // a 32-bit word with an interesting value
                int p = Math.min(position(length, structural, r) & ~3, length - 4);
                int old = getInt(b, p);
                int[] values = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, length, length - 4, length + 4,
                        r.nextInt(129) - 64, r.nextInt(), old + r.nextInt(17) - 8, old * 2, old / 2, 0xFFFF};
                int v = values[r.nextInt(values.length)];
                putInt(b, p, v, touched);
                return new Mutation(length, touched, "word " + v + " at " + p);
            }
            case 2 -> { // a 16-bit value (vtable entries and sizes)
                int p = Math.min(position(length, structural, r) & ~1, length - 2);
                int[] values = {0, 1, 2, 4, 0xFFFF, 0xFFFE, 0x8000, r.nextInt(64), r.nextInt(0x10000)};
                int v = values[r.nextInt(values.length)];
                b[p] = (byte) v;
                b[p + 1] = (byte) (v >>> 8);
                touched.add(p);
                touched.add(p + 1);
                return new Mutation(length, touched, "short " + v + " at " + p);
            }
            case 3 -> { // truncation, mostly inside the structure
                int cut = r.nextDouble() < STRUCTURAL_SHARE ? structural[r.nextInt(structural.length)]
                        : r.nextInt(length);
                return new Mutation(cut, touched, "truncated to " + cut);
            }
            case 4 -> { // bit flips
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) {
                    int p = position(length, structural, r);
                    b[p] ^= (byte) (1 << r.nextInt(8));
                    touched.add(p);
                }
                return new Mutation(length, touched, n + " bit flips at " + touched);
            }
            default -> { // copy one word over another (splices offsets)
                int from = Math.min(position(length, structural, r) & ~3, length - 4);
                int to = Math.min(position(length, structural, r) & ~3, length - 4);
                putInt(b, to, getInt(b, from), touched);
                return new Mutation(length, touched, "word from " + from + " copied to " + to);
            }
        }
    }

    private static int position(int length, int[] structural, Random r) {
        return r.nextDouble() < STRUCTURAL_SHARE ? structural[r.nextInt(structural.length)] : r.nextInt(length);
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static void putInt(byte[] b, int p, int v, List<Integer> touched) {
        for (int k = 0; k < 4; k++) {
            b[p + k] = (byte) (v >>> (8 * k));
            touched.add(p + k);
        }
    }

    /** Marks the bytes of constant tensor data (weights, biases); the rest is the FlatBuffer's structure. */
    private static boolean[] dataBytes(MemorySegment file, ModelFile model) {
        boolean[] data = new boolean[(int) file.byteSize()];
        for (TensorInfo t : model.tensors()) {
            if (t.data() != null) {
                int start = (int) (t.data().address() - file.address());
                Arrays.fill(data, start, start + (int) t.data().byteSize(), true);
            }
        }
        return data;
    }

    private static int[] positions(boolean[] isData, boolean wanted) {
        int[] p = new int[isData.length];
        int n = 0;
        for (int i = 0; i < isData.length; i++) {
            if (isData[i] == wanted) {
                p[n++] = i;
            }
        }
        return Arrays.copyOf(p, n);
    }

    /** What every successfully read model must satisfy, whatever its bytes. */
    private static void checkConsistent(ModelFile model, MemorySegment file) {
        int tensorCount = model.tensors().size();
        for (int i = 0; i < tensorCount; i++) {
            TensorInfo t = model.tensors().get(i);
            assertEquals(i, t.index());
            if (t.data() != null) {
                long start = t.data().address() - file.address();
                assertTrue(start >= 0 && start + t.data().byteSize() <= file.byteSize(), "data inside the file");
                assertTrue(t.data().byteSize() > 0);
                if (t.type().hasFixedSize()) {
                    assertEquals(t.type().byteSize(t.elementCount()), t.data().byteSize());
                }
                assertFalse(t.isVariable());
            }
            Quantization q = t.quantization();
            if (q != null) {
                assertTrue(q.count() == 1 || q.count() == t.dim(q.quantizedDimension()));
            }
        }
        for (OperatorInfo op : model.operators()) {
            for (int k = 0; k < op.inputCount(); k++) {
                assertTrue(op.input(k) >= -1 && op.input(k) < tensorCount);
            }
            for (int k = 0; k < op.outputCount(); k++) {
                assertTrue(op.output(k) >= 0 && op.output(k) < tensorCount);
            }
        }
        for (int t : model.inputs()) {
            assertTrue(t >= 0 && t < tensorCount);
        }
        for (int t : model.outputs()) {
            assertTrue(t >= 0 && t < tensorCount);
        }
        if (model.tensors().isEmpty() && model.operators().isEmpty()) {
            fail("a real model mutated into an empty one opened: suspicious but legal? " + model);
        }
    }
}
