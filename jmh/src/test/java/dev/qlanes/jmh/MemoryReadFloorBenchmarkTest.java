package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The read floor must read what it claims: compared with a scalar model of its arithmetic (each vector lane sums
 * the bytes at its position in wrapping int8, then the lanes are added as 64-bit words), so a loop that skipped
 * bytes, and so ran faster than a full read, fails here.
 */
class MemoryReadFloorBenchmarkTest {

    private static long model(byte[] a, int from, int to) {
        int lanes = MemoryReadFloorBenchmark.BYTES.length();
        byte[] lane = new byte[lanes];
        for (int i = from; i < to; i++) {
            lane[(i - from) % lanes] += a[i];
        }
        java.nio.LongBuffer words = java.nio.ByteBuffer.wrap(lane).order(java.nio.ByteOrder.nativeOrder()).asLongBuffer();
        long sum = 0;
        while (words.hasRemaining()) {
            sum += words.get();
        }
        return sum;
    }

    @ParameterizedTest
    @CsvSource({"1", "3", "64"})
    void readsEveryByteOfBothHalves(int blocks) {
        int n = blocks * 2 * MemoryReadFloorBenchmark.UNROLL * MemoryReadFloorBenchmark.BYTES.length();
        byte[] a = Data.int8(new SplittableRandom(blocks), n);
        assertEquals(model(a, 0, n), MemoryReadFloorBenchmark.read(a, 0, n));
        assertEquals(model(a, 0, n / 2), MemoryReadFloorBenchmark.read(a, 0, n / 2));
        assertEquals(model(a, n / 2, n), MemoryReadFloorBenchmark.read(a, n / 2, n));
    }
}
