package dev.qlanes.jmh.nativeanchor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native anchor equals exact int32 arithmetic (plain Java loops) for odd sizes, long vectors whose
 * sums wrap, batch 1..5 and all -128 inputs, through heap and native segments. A missing C compiler fails
 * these tests unless the environment says {@code QLANES_NO_CC=1}; then they are reported as aborted with
 * the reason, never skipped silently.
 */
class NativeAnchorTest {

    private static final int[] DOT_SIZES = {0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 95, 127, 128,
        129, 255, 256, 257, 1000, 1023, 1024, 1025, 4095, 4097, 65535, 65537, 70000};
    private static final int[] ROWS = {1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 67, 131};
    private static final int[] COLS = {1, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 1023, 1025, 2047, 2049, 4100};

    @BeforeAll
    static void report() {
        System.out.println("[native anchor] available: " + NativeAnchor.available());
        System.out.println("[native anchor] " + NativeAnchor.compilerDescription());
        if (NativeAnchor.available()) {
            System.out.println("[native anchor] compiled: " + NativeAnchor.compileCommand());
            System.out.println("[native anchor] ISA path: " + NativeAnchor.isa());
            System.out.println("[native anchor] library: " + NativeAnchor.libraryPath()
                    + ", heap segments passed directly: " + NativeAnchor.heapSegmentsSupported());
        }
    }

    private static boolean noCompilerExpected() {
        return "1".equals(System.getenv("QLANES_NO_CC"));
    }

    /** Fails without the anchor, unless QLANES_NO_CC=1 says that none is expected: then aborts, with the reason. */
    private static void requireAnchor() {
        if (NativeAnchor.available()) {
            return;
        }
        String reason = NativeAnchor.unavailableReason();
        if (noCompilerExpected()) {
            Assumptions.abort("native anchor unavailable and QLANES_NO_CC=1 expects that: " + reason);
        }
        fail("native anchor unavailable: " + reason + " (set QLANES_NO_CC=1 where no C compiler is expected)");
    }

    @Test
    void anchorIsBuiltUnlessNoCompilerIsExpected() {
        if (!NativeAnchor.available()) {
            assertTrue(noCompilerExpected(), () -> "native anchor unavailable: " + NativeAnchor.unavailableReason()
                    + " (set QLANES_NO_CC=1 where no C compiler is expected)");
            System.out.println("[native anchor] none, as QLANES_NO_CC=1 expects: " + NativeAnchor.unavailableReason());
            assertThrows(IllegalStateException.class, () -> NativeAnchor.dot(new byte[1], new byte[1]));
            return;
        }
        assertEquals(null, NativeAnchor.unavailableReason());
        assertNotNull(NativeAnchor.isa());
        assertTrue(NativeAnchor.compileCommand().contains("-O3"), NativeAnchor.compileCommand());
        assertTrue(NativeAnchor.compilerDescription().contains(NativeAnchor.isa()));
    }

    @Test
    void dotRandomOddSizes() {
        requireAnchor();
        SplittableRandom random = new SplittableRandom(1);
        for (int n : DOT_SIZES) {
            byte[] a = random(random, n);
            byte[] b = random(random, n);
            assertEquals(javaDot(a, 0, b, 0, n), NativeAnchor.dot(a, b), "n = " + n);
        }
    }

    @Test
    void dotExtremes() {
        requireAnchor();
        for (int n : DOT_SIZES) {
            byte[] min = filled(n, Byte.MIN_VALUE);
            byte[] max = filled(n, Byte.MAX_VALUE);
            assertEquals(javaDot(min, 0, min, 0, n), NativeAnchor.dot(min, min), "-128 * -128, n = " + n);
            assertEquals(javaDot(min, 0, max, 0, n), NativeAnchor.dot(min, max), "-128 * 127, n = " + n);
            byte[] alt = new byte[n];
            for (int i = 0; i < n; i++) {
                alt[i] = (i & 1) == 0 ? Byte.MIN_VALUE : Byte.MAX_VALUE;
            }
            assertEquals(javaDot(alt, 0, min, 0, n), NativeAnchor.dot(alt, min), "alternating, n = " + n);
        }
    }

    @Test
    void dotWrapsLikeJavaInt() {
        requireAnchor();
        // 140000 * 16384 = 2293760000 > Integer.MAX_VALUE: the exact sum wraps modulo 2^32.
        int n = 140_000;
        byte[] min = filled(n, Byte.MIN_VALUE);
        int expected = (int) (n * 16384L);
        assertTrue(expected < 0);
        assertEquals(expected, javaDot(min, 0, min, 0, n));
        assertEquals(expected, NativeAnchor.dot(min, min));
        byte[] a = random(new SplittableRandom(2), 300_001);
        byte[] b = random(new SplittableRandom(3), 300_001);
        assertEquals(javaDot(a, 0, b, 0, a.length), NativeAnchor.dot(a, b));
    }

    @Test
    void dotNativeSegmentsAtOddOffsets() {
        requireAnchor();
        SplittableRandom random = new SplittableRandom(4);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : DOT_SIZES) {
                for (int off = 0; off < 3; off++) {
                    byte[] a = random(random, n + 3);
                    byte[] b = random(random, n + 5);
                    MemorySegment sa = nativeCopy(arena, a).asSlice(off, n);
                    MemorySegment sb = nativeCopy(arena, b).asSlice(2 * off + 1, n);
                    assertEquals(javaDot(a, off, b, 2 * off + 1, n), NativeAnchor.dot(sa, sb, n), "n = " + n);
                    // heap segments, sliced: the same
                    MemorySegment ha = MemorySegment.ofArray(a).asSlice(off, n);
                    MemorySegment hb = MemorySegment.ofArray(b).asSlice(2 * off + 1, n);
                    assertEquals(javaDot(a, off, b, 2 * off + 1, n), NativeAnchor.dot(ha, hb, n), "n = " + n);
                }
            }
        }
    }

    @Test
    void gemvRandomShapesBatch1To5() {
        requireAnchor();
        SplittableRandom random = new SplittableRandom(5);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                for (int batch = 1; batch <= 5; batch++) {
                    byte[] w = random(random, rows * cols);
                    byte[] x = random(random, batch * cols);
                    checkGemv(w, rows, cols, x, batch, rows + "x" + cols + " batch " + batch);
                }
            }
        }
    }

    @Test
    void gemvAllMinus128AndMixedExtremes() {
        requireAnchor();
        for (int rows : new int[] {1, 3, 4, 5, 8, 9}) {
            for (int cols : COLS) {
                for (int batch = 1; batch <= 5; batch++) {
                    checkGemv(filled(rows * cols, Byte.MIN_VALUE), rows, cols, filled(batch * cols, Byte.MIN_VALUE),
                            batch, "-128: " + rows + "x" + cols + " batch " + batch);
                    checkGemv(filled(rows * cols, Byte.MAX_VALUE), rows, cols, filled(batch * cols, Byte.MIN_VALUE),
                            batch, "127 * -128: " + rows + "x" + cols + " batch " + batch);
                }
            }
        }
    }

    @Test
    void gemvLongRowsWrap() {
        requireAnchor();
        SplittableRandom random = new SplittableRandom(6);
        for (int batch = 1; batch <= 5; batch++) {
            checkGemv(random(random, 5 * 70_000), 5, 70_000, random(random, batch * 70_000), batch,
                    "5x70000 batch " + batch);
        }
        // 140000 columns of -128: every output wraps.
        int cols = 140_000;
        for (int batch : new int[] {1, 2, 3}) {
            int[] out = NativeAnchor.gemv(filled(5 * cols, Byte.MIN_VALUE), 5, cols, filled(batch * cols, Byte.MIN_VALUE),
                    batch);
            int[] expected = new int[5 * batch];
            Arrays.fill(expected, (int) (cols * 16384L));
            assertArrayEquals(expected, out, "-128, 5x140000 batch " + batch);
        }
    }

    @Test
    void gemvZeroSizes() {
        requireAnchor();
        int[] out = {7, 7, 7, 7, 7, 7};
        NativeAnchor.gemv(new byte[0], 2, 0, new byte[0], 3, out);
        assertArrayEquals(new int[6], out, "cols = 0 gives zeros");
        int[] untouched = {7};
        NativeAnchor.gemv(new byte[0], 0, 5, new byte[5], 1, untouched);
        NativeAnchor.gemv(new byte[10], 2, 5, new byte[0], 0, untouched);
        assertArrayEquals(new int[] {7}, untouched);
        assertEquals(0, NativeAnchor.dot(new byte[0], new byte[0]));
    }

    @Test
    void argumentsAreChecked() {
        requireAnchor();
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAnchor.dot(new byte[3], new byte[4], 4));
        assertThrows(IllegalArgumentException.class, () -> NativeAnchor.dot(new byte[3], new byte[3], -1));
        assertThrows(IllegalArgumentException.class, () -> NativeAnchor.dot(new byte[3], new byte[4]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeAnchor.gemv(new byte[11], 3, 4, new byte[8], 2, new int[6]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeAnchor.gemv(new byte[12], 3, 4, new byte[7], 2, new int[6]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeAnchor.gemv(new byte[12], 3, 4, new byte[8], 2, new int[5]));
        assertThrows(IllegalArgumentException.class, () -> NativeAnchor.gemv(MemorySegment.ofArray(new byte[12]), 3, 4,
                MemorySegment.ofArray(new byte[8]), 2, MemorySegment.ofArray(new int[6]).asReadOnly()));
    }

    /** Checks heap arrays, native segments, and that nothing beyond batch * rows outputs is written. */
    private static void checkGemv(byte[] w, int rows, int cols, byte[] x, int batch, String what) {
        int[] expected = javaGemv(w, rows, cols, x, batch);
        assertArrayEquals(expected, NativeAnchor.gemv(w, rows, cols, x, batch), "heap: " + what);
        try (Arena arena = Arena.ofConfined()) {
            int n = batch * rows;
            MemorySegment out = arena.allocate(4L * (n + 4), 4);
            out.fill((byte) 0x5a);
            NativeAnchor.gemv(nativeCopy(arena, w), rows, cols, nativeCopy(arena, x), batch, out);
            int[] got = out.toArray(ValueLayout.JAVA_INT);
            assertArrayEquals(expected, Arrays.copyOf(got, n), "native: " + what);
            for (int i = n; i < n + 4; i++) {
                assertEquals(0x5a5a5a5a, got[i], "written past the output: " + what);
            }
        }
    }

    private static int javaDot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    private static int[] javaGemv(byte[] w, int rows, int cols, byte[] x, int batch) {
        int[] out = new int[batch * rows];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                out[b * rows + r] = javaDot(w, r * cols, x, b * cols, cols);
            }
        }
        return out;
    }

    private static byte[] random(SplittableRandom random, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) random.nextInt(256);
        }
        return a;
    }

    private static byte[] filled(int n, byte v) {
        byte[] a = new byte[n];
        Arrays.fill(a, v);
        return a;
    }

    private static MemorySegment nativeCopy(Arena arena, byte[] a) {
        MemorySegment s = arena.allocate(Math.max(1, a.length));
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_BYTE, 0, a.length);
        return s;
    }
}
