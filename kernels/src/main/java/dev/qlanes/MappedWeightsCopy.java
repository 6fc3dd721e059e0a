package dev.qlanes;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The private copy {@link PreparedWeights} makes of memory-mapped weights, so that layers never read a mapping.
 *
 * <p>Why: a mapping's pages can vanish at any time (the file truncated or replaced in place), and the JDK only
 * promises "an unspecified exception ... at the time of the access or at some later time" ({@code FileChannel.map}).
 * On JDK 25 HotSpot keeps that promise for scalar {@code MemorySegment} accesses and bulk copies, in the interpreter,
 * C1 and C2 ({@link InternalError}), but not for Vector API loads compiled by C2: their code is not marked as doing
 * unsafe accesses, so the SIGBUS kills the JVM (measured; {@code docs/faults.md}). A copy made once, with
 * {@link MemorySegment#copy}, confines the risk to preparation, where it is an exception.
 */
final class MappedWeightsCopy {
    /** Alignment of the copy: a cache line, so that no vector load of a row start splits one needlessly. */
    private static final long ALIGNMENT = 64;

    private MappedWeightsCopy() {}

    /**
     * A read-only copy of {@code mapped} in native memory that lives as long as the returned segment is reachable.
     * A fault in the mapping (its file truncated) raises the JDK's {@link InternalError}, here or, from compiled
     * code, a little later: the caller covers its use of the copy and reports it with {@link #unreadable}.
     *
     * @throws OutOfMemoryError from the JDK, if the copy would exceed {@code -XX:MaxDirectMemorySize}
     */
    static MemorySegment of(MemorySegment mapped) {
        MemorySegment copy = Arena.ofAuto().allocate(Math.max(1, mapped.byteSize()), ALIGNMENT)
                .asSlice(0, mapped.byteSize());
        MemorySegment.copy(mapped, 0, copy, 0, mapped.byteSize());
        return copy.asReadOnly();
    }

    /** What preparation throws when {@code mapped} faulted while being copied; the cause is the JDK's error. */
    static IllegalStateException unreadable(MemorySegment mapped, InternalError e) {
        return new IllegalStateException("weights segment " + mapped + " (memory-mapped, " + mapped.byteSize()
                + " bytes) faulted while being copied: its file was probably truncated or replaced in place; map it"
                + " again once the file is complete", e);
    }
}
