package dev.qlanes;

import dev.qlanes.internal.ChunkedCall;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.internal.Check;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The options both layer builders share: fused activation, threads, and workspace sizing. Every setter
 * validates its argument at once ({@link NullPointerException} for null, {@link IllegalArgumentException} with
 * the expected range otherwise).
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class LayerBuilder<B extends LayerBuilder<B>> {
    /** Upper bound of {@link #parallelism(int)}: far beyond useful, and within the chunk counter's range. */
    static final int MAX_PARALLELISM = 1024;
    /** Default {@link #parallelThreshold(long)}: below ~128k multiply-adds a task hand-off costs more than it saves. */
    static final long DEFAULT_PARALLEL_THRESHOLD = 1L << 17;

    final PreparedWeights weights;
    FusedActivation activation = FusedActivation.NONE;
    int parallelism = 1;
    Executor executor;
    long parallelThreshold = DEFAULT_PARALLEL_THRESHOLD;
    int expectedBatch = 1;
    int maxConcurrentCalls = Math.max(4, Runtime.getRuntime().availableProcessors());

    LayerBuilder(PreparedWeights weights) {
        this.weights = Check.notNull("weights", weights);
    }

    abstract B self();

    /** The fused activation applied last; default {@link FusedActivation#NONE}. */
    public B activation(FusedActivation activation) {
        this.activation = Check.notNull("activation", activation);
        return self();
    }

    /**
     * How many tasks one call may split its work into, the calling thread included; default 1 (everything runs
     * on the calling thread). Results are bit-identical for every value: each output element is computed by
     * exactly one task, with the same operations.
     *
     * @param parallelism in {@code [1, 1024]}
     */
    public B parallelism(int parallelism) {
        Check.inRange("parallelism", parallelism, 1, MAX_PARALLELISM);
        this.parallelism = parallelism;
        return self();
    }

    /**
     * Where helper tasks run when {@link #parallelism(int)} is above 1; default {@link ForkJoinPool#commonPool()}.
     * The calling thread always takes part and takes over work the executor has not started, so a saturated,
     * slow or rejecting executor ({@link java.util.concurrent.RejectedExecutionException}) only costs speed, and
     * calling a layer from the executor's own threads cannot deadlock. qlanes allocates nothing per call, but the
     * executor may (e.g. its queue nodes, or {@code ForkJoinPool}'s task wrapper). A helper task that has run out
     * of work keeps its thread for up to 50 µs, spinning, and takes over the next parallel call on the same executor
     * (of any layer) without a new task, instead of a parked thread being woken for every call (back-to-back calls
     * at 1x1024x1024 on two threads: 1.1x one thread before, 1.34x with it, medians on a shared 2-core machine).
     * Helpers never run calls of another executor.
     */
    public B executor(Executor executor) {
        this.executor = Check.notNull("executor", executor);
        return self();
    }

    /**
     * The least work, in multiply-adds ({@code batch × units × inputSize}), worth a chunk of its own: a call of
     * {@code work} multiply-adds is cut into at most {@code min(work / multiplyAdds, 16 × parallelism)} chunks,
     * claimed dynamically by the caller and the helpers. So a call runs on the calling thread alone, submitting no
     * task, when {@code work < 2 × multiplyAdds}, and also when it cannot be cut (batch 1 and at most 16 units: row
     * ranges are multiples of 16). Default {@code 2^17}, so calls below {@code 2^18} multiply-adds stay on the
     * calling thread.
     *
     * @param multiplyAdds ≥ 1
     */
    public B parallelThreshold(long multiplyAdds) {
        if (multiplyAdds < 1) {
            throw new IllegalArgumentException("parallelThreshold = " + multiplyAdds + ", expected >= 1");
        }
        this.parallelThreshold = multiplyAdds;
        return self();
    }

    /**
     * The batch size workspaces are first allocated for; default 1. A call with a larger batch grows the
     * workspace it uses, once: in steady state no call allocates.
     *
     * @param batch ≥ 1
     */
    public B expectedBatch(int batch) {
        Check.inRange("expectedBatch", batch, 1, Integer.MAX_VALUE);
        this.expectedBatch = batch;
        return self();
    }

    /**
     * How many calls may run at the same time without allocating: the number of pooled workspaces. More
     * concurrent calls still work, each extra one with a workspace of its own that is then dropped. Default
     * {@code max(4, availableProcessors)}.
     *
     * @param calls in {@code [1, 65536]}
     */
    public B maxConcurrentCalls(int calls) {
        Check.inRange("maxConcurrentCalls", calls, 1, 1 << 16);
        this.maxConcurrentCalls = calls;
        return self();
    }

    /**
     * Checks that workspaces for {@link #expectedBatch(int)} rows fit Java arrays; called by {@code build()}.
     *
     * @throws IllegalArgumentException if {@code expectedBatch × max(inputSize, units)} exceeds {@code 2^31 − 17}
     */
    void validateWorkspace() {
        long widest = Math.max(1, Math.max(weights.rows(), weights.cols()));
        if (expectedBatch * widest > SegmentChecks.MAX_WORKSPACE) {
            throw new IllegalArgumentException("expectedBatch = " + expectedBatch + ": a workspace of expectedBatch * "
                    + widest + " elements exceeds " + SegmentChecks.MAX_WORKSPACE);
        }
    }

    Executor executorOrDefault() {
        return executor != null ? executor : ForkJoinPool.commonPool();
    }

    static {
        // MAX_PARALLELISM chunks must fit ChunkedCall's counter.
        if (MAX_PARALLELISM > ChunkedCall.MAX_CHUNKS) {
            throw new AssertionError("MAX_PARALLELISM exceeds ChunkedCall.MAX_CHUNKS");
        }
    }
}
