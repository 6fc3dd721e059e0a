package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.LayerFixtures.HybridCase;
import dev.qlanes.LayerFixtures.Memory;
import dev.qlanes.LayerFixtures.WeightsSource;
import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.internal.ScalarLayerKernels;
import dev.qlanes.reference.FusedActivation;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row sums, one pass over the weights, the sources, the defensive copy, memory-mapped weights, and every rejection. */
class PreparedWeightsTest {
    /** Columns beyond any width's short-row kernel (at most 255 at 2048-bit SVE), so the row-major loops run. */
    private static final int LONG_ROW = 512;

    @Test
    void rowSumsAreExactForEverySource() {
        SplittableRandom random = new SplittableRandom(SEED + 20);
        try (Arena arena = Arena.ofShared()) {
            for (int i = 0; i < 40; i++) {
                int rows = 1 + random.nextInt(40);
                int cols = random.nextInt(300);
                byte[] w = LayerFixtures.weights(random, rows * cols);
                int[] sums = new int[rows];
                for (int k = 0; k < w.length; k++) {
                    sums[k / cols] += w[k];
                }
                for (WeightsSource source : WeightsSource.values()) {
                    PreparedWeights p = source.prepare(w, rows, cols, 0.5f, null, arena);
                    assertArrayEquals(sums, p.rowSums(), source.toString());
                    assertEquals(source == WeightsSource.NATIVE_SEGMENT || source == WeightsSource.MAPPED_SEGMENT, p.isNative(),
                            source.toString());
                    assertArrayEquals(w, p.asSegment().toArray(ValueLayout.JAVA_BYTE), source.toString());
                    assertTrue(p.asSegment().isReadOnly());
                }
            }
        }
    }

    /**
     * Preparing reads the weights once, for the row sums, and nothing else: a second pass over a memory-mapped
     * file for a flag no kernel reads (the removed {@code containsMinus128}) doubled the cost of preparing.
     */
    @Test
    void preparingReadsTheWeightsOnceForTheRowSums() {
        Map<String, Integer> calls = new TreeMap<>();
        LayerKernels counting = counting(LayerKernels.class, new ScalarLayerKernels(), "", calls);
        byte[] w = LayerFixtures.weights(new SplittableRandom(SEED + 21), 7 * 33);
        try (Arena arena = Arena.ofShared()) {
            for (WeightsSource source : WeightsSource.values()) {
                calls.clear();
                PreparedWeights p = KernelProvider.buildWith(counting,
                        () -> source.prepare(w, 7, 33, 0.5f, null, arena));
                assertEquals(Map.of("rows", 1, "DotRows.rowSums", 1), calls, source + ": kernel calls while preparing");
                int[] sums = new int[7];
                for (int k = 0; k < w.length; k++) {
                    sums[k / 33] += w[k];
                }
                assertArrayEquals(sums, p.rowSums(), source.toString());
            }
        }
    }

    /** {@code target} behind a proxy that counts calls by method name (prefixed), and counts the calls of any {@link DotRows} it returns too. */
    @SuppressWarnings("unchecked")
    private static <T> T counting(Class<T> type, T target, String prefix, Map<String, Integer> calls) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            calls.merge(prefix + method.getName(), 1, Integer::sum);
            try {
                Object result = method.invoke(target, args);
                return result instanceof DotRows rows ? counting(DotRows.class, rows, "DotRows.", calls) : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void arraysAreCopiedAndScalesKept() {
        byte[] w = {1, 2, 3, 4, 5, 6};
        float[] scales = {0.5f, 0.25f};
        PreparedWeights p = PreparedWeights.perChannel(w, 2, 3, scales);
        w[0] = 100;
        scales[0] = 9;
        assertEquals(6, p.rowSum(0));
        assertEquals(15, p.rowSum(1));
        assertEquals(1, p.asSegment().get(ValueLayout.JAVA_BYTE, 0));
        assertTrue(p.perChannel());
        assertArrayEquals(new float[] {0.5f, 0.25f}, p.scales());
        assertEquals(0.25f, p.scale(1));
        assertThrows(IllegalStateException.class, p::scale);
        assertThrows(IndexOutOfBoundsException.class, () -> p.scale(2));
        PreparedWeights t = PreparedWeights.perTensor(w, 3, 2, 0.125f);
        assertFalse(t.perChannel());
        assertEquals(0.125f, t.scale());
        assertEquals(0.125f, t.scale(2));
        assertArrayEquals(new float[] {0.125f}, t.scales());
        assertEquals(3, t.rows());
        assertEquals(2, t.cols());
    }

    @Test
    void memoryMappedWeightsFileRunsBothLayers(@TempDir Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 21);
        int units = 24;
        int inputSize = 33;
        byte[] w = LayerFixtures.weights(random, units * inputSize);
        Path file = dir.resolve("weights.bin");
        byte[] header = {'Q', 'L', 'N', 'S', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] content = new byte[header.length + w.length];
        System.arraycopy(header, 0, content, 0, header.length);
        System.arraycopy(w, 0, content, header.length, w.length);
        Files.write(file, content);
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            PreparedWeights p = PreparedWeights.perTensor(mapped.asSlice(header.length, w.length), units, inputSize,
                    0.02f);
            assertTrue(p.isNative());
            HybridCase c = new HybridCase(2, units, inputSize, w, 0.02f, null, null, true, FusedActivation.NONE,
                    LayerFixtures.floats(random, 2, inputSize));
            LayerFixtures.assertSameBits(c.expected(), c.run(c.layer(p, 4), Memory.ARRAY, arena), units, "mapped");
            LayerFixtures.QuantizedCase q = new LayerFixtures.QuantizedCase(2, units, inputSize, w, 0.05f, 1, 0.02f,
                    null, null, 0.3f, -2, FusedActivation.RELU, dev.qlanes.reference.Rounding.DOUBLE_ROUNDING,
                    LayerFixtures.bytes(random, 2 * inputSize));
            LayerFixtures.assertSameBytes(q.expected(), q.run(q.layer(p, 1), Memory.NATIVE_SEGMENT, arena), units,
                    "mapped");
        }
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> PreparedWeights.perTensor(new byte[0], -1, 0,
                1)), "rows = -1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> PreparedWeights.perTensor(new byte[0], 0, -3,
                1)), "cols = -3");
        assertMessage(assertThrows(NullPointerException.class, () -> PreparedWeights.perTensor((byte[]) null, 1, 1,
                1)), "weights");
        // 65536 * 65536 overflows int: reported in long
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> PreparedWeights.perTensor(new byte[0],
                65536, 65536, 1)), "4294967296");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> PreparedWeights.perTensor(new byte[5], 2, 3,
                1)), "weights.length = 5");
        for (float bad : new float[] {0.0f, -1.0f, Float.NaN, Float.POSITIVE_INFINITY, -0.0f}) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> PreparedWeights.perTensor(new byte[6], 2,
                    3, bad)), "scale = " + bad);
            assertMessage(assertThrows(IllegalArgumentException.class, () -> PreparedWeights.perChannel(new byte[6], 2,
                    3, new float[] {1, bad})), "scales[1] = " + bad);
        }
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> PreparedWeights.perChannel(new byte[6], 2, 3,
                new float[] {1})), "scales.length = 1");
        assertMessage(assertThrows(NullPointerException.class, () -> PreparedWeights.perChannel(new byte[6], 2, 3,
                null)), "scales");
        Arena closed = Arena.ofShared();
        MemorySegment dead = closed.allocate(6);
        closed.close();
        assertMessage(assertThrows(IllegalStateException.class, () -> PreparedWeights.perTensor(dead, 2, 3, 1)),
                "not alive");
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment mine = confined.allocate(6);
            assertMessage(assertThrows(IllegalArgumentException.class, () -> PreparedWeights.perTensor(mine, 2, 3, 1)),
                    "confined");
        }
        try (Arena shared = Arena.ofShared()) {
            MemorySegment six = shared.allocate(6);
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> PreparedWeights.perTensor(six, 2, 4, 1)),
                    "weights.byteSize() = 6");
        }
    }

    @Test
    void weightsClosedAfterPreparationFailTheCallCleanly() {
        Arena arena = Arena.ofShared();
        // rows long enough for the row-major loops, which read the segment (short rows read a copy)
        MemorySegment segment = arena.allocate(4 * LONG_ROW);
        PreparedWeights p = PreparedWeights.perTensor(segment, 4, LONG_ROW, 1.0f);
        HybridFullyConnected layer = HybridFullyConnected.builder(p).build();
        arena.close();
        MemorySegment out = MemorySegment.ofArray(new float[4]);
        float[] x = new float[LONG_ROW];
        java.util.Arrays.fill(x, 1); // an all-zero input skips the dot products (docs/semantics.md, hybrid Eval step 2)
        assertThrows(IllegalStateException.class, () -> layer.eval(MemorySegment.ofArray(x), 1, out));
        assertArrayEquals(new float[4], out.toArray(ValueLayout.JAVA_FLOAT), "segment outputs are staged: untouched");
    }

    @Test
    void layerKernelsFollowTheTensorUtilsDispatch() {
        assertEquals(Kernels.info().vectorized(), KernelProvider.layerKernels().vectorized(),
                KernelProvider.layerKernels().description() + " vs " + Kernels.info());
        assertTrue(CompletableFuture.supplyAsync(() -> PreparedWeights.perTensor(new byte[1], 1, 1, 1)).join()
                .rowSum(0) == 0);
    }

    /**
     * Heap and native weights run loops of their own class (generated from one template), so no loop's JIT profile
     * mixes memory kinds (about 3x slower when it does); mapped weights are copied into native memory and run the
     * native class.
     */
    @Test
    void eachMemoryKindGetsItsOwnLoops(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] w = LayerFixtures.weights(new SplittableRandom(SEED + 22), 4 * LONG_ROW);
        java.nio.file.Path file = dir.resolve("w.bin");
        java.nio.file.Files.write(file, w);
        try (Arena arena = Arena.ofShared();
                java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            MemorySegment mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, w.length, arena);
            MemorySegment nativeCopy = arena.allocate(w.length);
            MemorySegment.copy(w, 0, nativeCopy, ValueLayout.JAVA_BYTE, 0, w.length);
            Class<?> heap = PreparedWeights.perTensor(w, 4, LONG_ROW, 1).dotRows().getClass();
            Class<?> native_ = PreparedWeights.perTensor(nativeCopy, 4, LONG_ROW, 1).dotRows().getClass();
            Class<?> mappedKind = PreparedWeights.perTensor(mapped, 4, LONG_ROW, 1).dotRows().getClass();
            assertEquals(native_, mappedKind, "mapped weights are copied into native memory");
            int classes = new java.util.HashSet<>(java.util.List.of(heap, native_)).size();
            assertEquals(Kernels.info().vectorized() ? 2 : 1, classes, heap + ", " + native_);
        }
    }

    private static void assertMessage(Throwable t, String text) {
        assertTrue(t.getMessage() != null && t.getMessage().contains(text),
                () -> t.getClass().getSimpleName() + " message \"" + t.getMessage() + "\" should contain \"" + text + "\"");
    }
}
