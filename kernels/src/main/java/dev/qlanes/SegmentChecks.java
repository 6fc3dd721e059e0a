package dev.qlanes;

import dev.qlanes.reference.internal.Check;
import java.lang.foreign.MemorySegment;

/**
 * Argument checks of the layers' {@link MemorySegment} entry points, run before any memory is touched, with
 * messages that name the argument: null → {@link NullPointerException}; too small for the shape →
 * {@link IndexOutOfBoundsException}; a read-only output → {@link IllegalArgumentException}; a closed arena →
 * {@link IllegalStateException}; a segment confined to another thread → {@link WrongThreadException}.
 */
final class SegmentChecks {
    private SegmentChecks() {}

    /** Largest element count of a per-call workspace array (segment activations are staged in heap arrays). */
    static final int MAX_WORKSPACE = Integer.MAX_VALUE - 16;

    /**
     * Checks {@code segment} holds at least {@code elements} values of {@code elementBytes} bytes, is alive and
     * accessible from this thread, and (for outputs) is writable.
     */
    static void check(String name, MemorySegment segment, long elements, int elementBytes, String shape,
            boolean output) {
        Check.notNull(name, segment);
        if (segment.byteSize() / elementBytes < elements) {
            throw new IndexOutOfBoundsException(name + ".byteSize() = " + segment.byteSize() + ", expected >= "
                    + elementBytes + " * (" + shape + ") = " + elementBytes + " * " + elements);
        }
        if (output && segment.isReadOnly()) {
            throw new IllegalArgumentException(name + " is a read-only segment, expected a writable one");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException(name + " segment is not alive: its arena was closed");
        }
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException(name + " segment is confined to another thread");
        }
    }

    /** Segment activations are staged in heap arrays, so their element count must fit one. */
    static void stageable(String shape, long elements) {
        if (elements > MAX_WORKSPACE) {
            throw new IllegalArgumentException(shape + " = " + elements + ", expected <= " + MAX_WORKSPACE
                    + " for segment activations (split the batch)");
        }
    }

    /**
     * The checks every layer's segment {@code eval} makes, in order: non-null segments, {@code batch >= 0}, both
     * segments large enough, alive, accessible (and the output writable), and both shapes stageable in a workspace.
     */
    static void layerCall(MemorySegment input, int batch, MemorySegment output, int inputSize, int units,
            int elementBytes) {
        Check.notNull("input", input);
        Check.notNull("output", output);
        Check.nonNegative("batch", batch);
        long inputElements = (long) batch * inputSize;
        long outputElements = (long) batch * units;
        check("input", input, inputElements, elementBytes, "batch * inputSize", false);
        check("output", output, outputElements, elementBytes, "batch * units", true);
        stageable("batch * inputSize", inputElements);
        stageable("batch * units", outputElements);
    }
}
