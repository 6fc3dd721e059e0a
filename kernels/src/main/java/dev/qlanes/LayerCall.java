package dev.qlanes;

import dev.qlanes.internal.ChunkedCall;
import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.LayerKernels;
import java.util.concurrent.Executor;

/**
 * One call's state of a layer, reused across calls through a pool: the split of {@code batch × rows} into a grid
 * of chunks ({@code rowChunks} row ranges × batch ranges), at most {@link #CHUNKS_PER_THREAD} per thread, and the
 * hand-off to {@link ChunkedCall}. Row ranges are multiples of {@link #ROW_ALIGN}; the split never changes a result,
 * since each output element is computed by exactly one chunk with the same operations. Scratch is kept per thread
 * slot ({@link ChunkedCall}), not per chunk, and a slot widens each activation row once per call however many of its
 * chunks read it.
 */
abstract class LayerCall extends ChunkedCall {
    /** Rows per block: a chunk's rows are processed in blocks whose dot products fit its scratch slice. */
    static final int BLOCK = 64;
    /** Row ranges start at multiples of this (a multiple of the 4-row tile and of every float lane count). */
    static final int ROW_ALIGN = 16;
    /**
     * Weight bytes one thread's row range keeps while every batch tile passes over it: a quarter of Zen 4's 1 MiB
     * L2, and within every current x86 and ARM server core's. Without ranges a single-threaded batch streamed all
     * the weights once per 4-row tile: 16x4096x4096 ran at 35 GMAC/s against 45 at 16x1024x1024.
     */
    static final int CACHED_WEIGHT_BYTES = 256 * 1024;

    private final int rows;
    private final int cols;
    /**
     * Chunks per thread when a call is split: a helper may start late (a parked pool thread waking up), and the
     * threads rarely finish their last chunks together, so the work is cut finer than one chunk per thread and
     * claimed dynamically; the caller then waits at most for the chunk a helper took last. Counted in a probe of
     * back-to-back 1x4096x4096 calls on two threads (shared 2-core machine, 12 rounds each): with 4 per thread the
     * caller parked in 11% of calls (median) and waited a median 23 µs per call for the helper's last chunk; with 16,
     * 2% and 16 µs. Per-slot scratch ({@link ChunkedCall}) keeps the finer cut from costing memory, and at batch 1
     * widening.
     */
    static final int CHUNKS_PER_THREAD = 16;
    /** Activation rows that share each weight row's widening: the weights' {@link DotRows#batchTile}. */
    private final int batchGroup;

    /** Per slot, one widened activation row ({@link DotRows#widen}); slot s uses [s]. */
    private final short[][] widened;
    /** Per slot, the batch row {@link #widened} holds in this call, or -1, so that a slot's later chunks skip it. */
    private final int[] widenedRow;
    /** Per slot, {@link #batchGroup} widened rows ({@link DotRows#widenTile}), made on first use. */
    private final short[][] packed;
    /** Per slot, the first batch row {@link #packed} holds in this call, or -1. */
    private final int[] packedRow;
    /** Per slot, {@link #batchGroup} × {@link #BLOCK} dot products; slot s uses {@code [s·G·BLOCK, ...)}. */
    private final int[] dots;
    private final int parallelism;
    private final Executor executor;
    private final long threshold;
    /** The most chunks one call is cut into. */
    private final int maxChunks;
    /** Rows per range of a one-chunk call with several batch tiles: about {@link #CACHED_WEIGHT_BYTES} of weights. */
    private final int cachedRows;

    private int batch;
    private int rowChunks;
    private int rowsPerChunk;
    private int batchPerChunk;
    private int chunks;

    LayerCall(int rows, int cols, int batchGroup, int parallelism, Executor executor, long threshold) {
        super(slots(parallelism));
        this.batchGroup = batchGroup;
        this.rows = rows;
        this.cols = cols;
        this.parallelism = parallelism;
        this.executor = executor;
        this.threshold = threshold;
        this.maxChunks = parallelism == 1 ? 1 : Math.min(MAX_CHUNKS, parallelism * CHUNKS_PER_THREAD);
        this.cachedRows = Math.max(ROW_ALIGN, CACHED_WEIGHT_BYTES / Math.max(cols, 1) / ROW_ALIGN * ROW_ALIGN);
        int slots = slots();
        this.widened = new short[slots][cols];
        this.widenedRow = new int[slots];
        this.packed = new short[slots][];
        this.packedRow = new int[slots];
        this.dots = new int[slots * batchGroup * BLOCK];
    }

    /** The caller, a task per helper thread, and one more task a call may submit after an untaken offer. */
    private static int slots(int parallelism) {
        return parallelism == 1 ? 1 : parallelism + 1;
    }

    /** Computes outputs {@code [b0, b1) × [r0, r1)}; {@code slot} selects the scratch slice. */
    abstract void compute(int slot, int b0, int b1, int r0, int r1);

    /**
     * Receives one block of dot products: {@code dots[offset + i] = Σ_c w[r + i][c] · x[b][c]} for {@code i < n}.
     * The array is scratch, valid until this returns.
     */
    abstract void block(int b, int r, int n, int[] dots, int offset);

    /**
     * The dot products of weight rows {@code [r0, r1)} with activation rows {@code [b0, b1)} of {@code x} (each
     * {@code cols} long), handed to {@link #block} in blocks of {@link #BLOCK} rows: activation rows are widened
     * once and go {@link #batchGroup} at a time, so that each widened weight chunk serves all of them.
     */
    final void dotBlocks(int slot, int b0, int b1, int r0, int r1, byte[] x, PreparedWeights weights) {
        int scratch = slot * batchGroup * BLOCK;
        DotRows dotRows = weights.dotRows();
        int b = b0;
        if (b1 - b0 >= batchGroup && packed[slot] == null) {
            packed[slot] = new short[dotRows.packedLength()];
        }
        for (; b + batchGroup <= b1; b += batchGroup) {
            short[] x4 = packed[slot];
            if (packedRow[slot] != b) {
                dotRows.widenTile(x, b * cols, x4);
                packedRow[slot] = b;
            }
            for (int r = r0; r < r1; r += BLOCK) {
                int n = Math.min(BLOCK, r1 - r);
                dotRows.dotsTile(r, r + n, x4, dots, scratch, BLOCK);
                for (int k = 0; k < batchGroup; k++) {
                    block(b + k, r, n, dots, scratch + k * BLOCK);
                }
            }
        }
        short[] xw = widened[slot];
        for (; b < b1; b++) {
            if (widenedRow[slot] != b) {
                dotRows.widen(x, b * cols, xw);
                widenedRow[slot] = b;
            }
            for (int r = r0; r < r1; r += BLOCK) {
                int n = Math.min(BLOCK, r1 - r);
                dotRows.dots(r, r + n, xw, dots, scratch);
                block(b, r, n, dots, scratch);
            }
        }
    }

    /** Plans the grid for {@code batch} (≥ 1) and runs it. */
    final void runGrid(int batch) {
        // a new input: nothing widened yet (written before the chunks are published, after the last call's chunks);
        // one loop for both, which C2 does not turn into two calls of its fill stub as it did Arrays.fill
        for (int s = 0; s < widenedRow.length; s++) {
            widenedRow[s] = -1;
            packedRow[s] = -1;
        }
        this.batch = batch;
        long work = (long) batch * rows * Math.max(cols, 1);
        // one chunk (work below twice the threshold): what the plan below comes to, without its divisions; with more
        // than one batch tile, in row ranges whose weights stay in L2 while every tile passes over them
        if (maxChunks == 1 || (work >> 1) < threshold) {
            int step = batch > batchGroup ? cachedRows : rows;
            for (int r0 = 0; r0 < rows; r0 += step) {
                compute(0, 0, batch, r0, Math.min(rows, r0 + step));
            }
            return;
        }
        int wanted = (int) Math.max(1, Math.min(maxChunks, work / threshold));
        int rowRanges = Math.max(1, Math.min(wanted, ceilDiv(rows, ROW_ALIGN)));
        rowsPerChunk = Math.max(ROW_ALIGN, ceilDiv(ceilDiv(rows, rowRanges), ROW_ALIGN) * ROW_ALIGN);
        rowChunks = Math.max(1, ceilDiv(rows, rowsPerChunk));
        int batchRanges = Math.max(1, Math.min(batch, wanted / rowChunks));
        batchPerChunk = ceilDiv(batch, batchRanges);
        chunks = rowChunks * ceilDiv(batch, batchPerChunk);
        invoke(chunks, executor, parallelism - 1);
    }

    @Override
    protected final void runChunk(int chunk, int slot) {
        int r0 = (chunk % rowChunks) * rowsPerChunk;
        int b0 = (chunk / rowChunks) * batchPerChunk;
        compute(slot, b0, Math.min(batch, b0 + batchPerChunk), r0, Math.min(rows, r0 + rowsPerChunk));
    }

    private static int ceilDiv(int a, int b) {
        return Math.ceilDiv(a, b);
    }
}
