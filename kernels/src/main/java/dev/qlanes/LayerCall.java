package dev.qlanes;

import dev.qlanes.internal.ChunkedCall;
import java.util.concurrent.Executor;

/**
 * One call's state of a layer, reused across calls through a pool: the split of {@code batch × rows} into a grid
 * of chunks ({@code rowChunks} row ranges × batch ranges), at most {@code parallelism} of them, and the hand-off
 * to {@link ChunkedCall}. Row ranges are multiples of {@link #ROW_ALIGN}; the split never changes a result, since
 * each output element is computed by exactly one chunk with the same operations.
 */
abstract class LayerCall extends ChunkedCall {
    /** Rows per block: a chunk's rows are processed in blocks whose dot products fit its scratch slice. */
    static final int BLOCK = 64;
    /** Row ranges start at multiples of this (a multiple of the 4-row tile and of every float lane count). */
    static final int ROW_ALIGN = 16;

    private final int rows;
    private final int cols;
    private final int parallelism;
    private final Executor executor;
    private final long threshold;

    private int batch;
    private int rowChunks;
    private int rowsPerChunk;
    private int batchPerChunk;
    private int chunks;

    LayerCall(int rows, int cols, int parallelism, Executor executor, long threshold) {
        this.rows = rows;
        this.cols = cols;
        this.parallelism = parallelism;
        this.executor = executor;
        this.threshold = threshold;
    }

    /** Computes outputs {@code [b0, b1) × [r0, r1)}; {@code chunk} selects the scratch slice. */
    abstract void compute(int chunk, int b0, int b1, int r0, int r1);

    /** Plans the grid for {@code batch} (≥ 1) and runs it. */
    final void runGrid(int batch) {
        this.batch = batch;
        long work = (long) batch * rows * Math.max(cols, 1);
        int wanted = (int) Math.max(1, Math.min(parallelism, work / threshold));
        int rowRanges = Math.max(1, Math.min(wanted, ceilDiv(rows, ROW_ALIGN)));
        rowsPerChunk = Math.max(ROW_ALIGN, ceilDiv(ceilDiv(rows, rowRanges), ROW_ALIGN) * ROW_ALIGN);
        rowChunks = Math.max(1, ceilDiv(rows, rowsPerChunk));
        int batchRanges = Math.max(1, Math.min(batch, wanted / rowChunks));
        batchPerChunk = ceilDiv(batch, batchRanges);
        chunks = rowChunks * ceilDiv(batch, batchPerChunk);
        invoke(chunks, executor, parallelism - 1);
    }

    @Override
    protected final void runChunk(int chunk) {
        int r0 = (chunk % rowChunks) * rowsPerChunk;
        int b0 = (chunk / rowChunks) * batchPerChunk;
        compute(chunk, b0, Math.min(batch, b0 + batchPerChunk), r0, Math.min(rows, r0 + rowsPerChunk));
    }

    private static int ceilDiv(int a, int b) {
        return Math.ceilDiv(a, b);
    }
}
