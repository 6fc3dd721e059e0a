package dev.qlanes.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kinds of {@link MemorySegment} the layer API meets, made cheaply enough to draw one per fuzzer input: slices of
 * long-lived native and mapped memory, heap segments over several array types, and the hostile ones (closed,
 * confined to another thread, read-only, {@link MemorySegment#NULL}). Native slices are cut from one shared slab with
 * {@link #GUARD} bytes on each side, so that a target can check that nothing around a slice changed.
 */
final class Segments {
    private Segments() {}

    /** Bytes around every slab slice that must survive a call (the canaries of segment outputs). */
    static final int GUARD = 16;
    /** Slab bytes: room for two slices of the largest array an input makes ({@link Args#MAX_ELEMENTS} floats). */
    private static final int SLAB_BYTES = 4 * (4 * Args.MAX_ELEMENTS + 4 * GUARD);
    /** Value the slab's guards and unused bytes are reset to before each use. */
    static final byte CANARY = (byte) 0xA5;

    /** Shared native memory, never freed: readable and writable from any thread. */
    private static final MemorySegment SLAB = Arena.ofShared().allocate(SLAB_BYTES, 64);
    /** A segment of an arena closed at once. */
    static final MemorySegment CLOSED;
    /** A segment confined to a thread that has ended. */
    static final MemorySegment FOREIGN;
    /** A read-only mapping of a temporary file of {@link #MAPPED_BYTES} bytes. */
    private static final MemorySegment MAPPED;
    private static final int MAPPED_BYTES = 1 << 16;

    static {
        Arena closing = Arena.ofShared();
        CLOSED = closing.allocate(256);
        closing.close();
        Owner owner = new Owner();
        owner.start();
        try {
            owner.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        FOREIGN = owner.segment;
        try {
            Path file = Files.createTempFile("qlanes-fuzz-weights", ".bin");
            file.toFile().deleteOnExit();
            byte[] content = new byte[MAPPED_BYTES];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) (i * 131 + (i >> 8));
            }
            Files.write(file, content);
            try (FileChannel channel = FileChannel.open(file)) {
                MAPPED = channel.map(FileChannel.MapMode.READ_ONLY, 0, MAPPED_BYTES, Arena.global());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A thread that allocates a segment confined to itself and ends. A class of its own, not a lambda: a lambda's
     * body is a method of this class, which the new thread could not run before this class's initializer (waiting
     * for it) had finished.
     */
    private static final class Owner extends Thread {
        volatile MemorySegment segment;

        Owner() {
            super("qlanes-fuzz-owner");
        }

        @Override
        public void run() {
            segment = Arena.ofConfined().allocate(256);
        }
    }

    /**
     * A slice of the native slab of {@code bytes} bytes at {@code slot} (0 or 1, for two segments at once; slot 1
     * may start inside slot 0 when {@code overlap}), the slice and its guards set to {@link #CANARY}.
     */
    static MemorySegment slab(int slot, long bytes, long misalign) {
        long start = GUARD + misalign + (long) slot * (SLAB_BYTES / 2);
        MemorySegment s = SLAB.asSlice(start - GUARD, bytes + 2 * GUARD);
        s.fill(CANARY);
        return SLAB.asSlice(start, bytes);
    }

    /** The slab slice starting {@code offset} bytes into {@code base}, of {@code bytes} bytes (an overlap). */
    static MemorySegment overlapping(MemorySegment base, long offset, long bytes) {
        long start = base.address() - SLAB.address() + offset;
        return SLAB.asSlice(start, bytes);
    }

    /** The guards of a slab slice (the {@link #GUARD} bytes before and after it), or null for another segment. */
    static byte[] guards(MemorySegment s) {
        if (s == null || !s.isNative() || s.address() < SLAB.address()
                || s.address() + s.byteSize() > SLAB.address() + SLAB_BYTES) {
            return null;
        }
        long start = s.address() - SLAB.address();
        byte[] g = new byte[2 * GUARD];
        MemorySegment.copy(SLAB, ValueLayout.JAVA_BYTE, start - GUARD, g, 0, GUARD);
        MemorySegment.copy(SLAB, ValueLayout.JAVA_BYTE, start + s.byteSize(), g, GUARD, GUARD);
        return g;
    }

    /** {@code bytes} bytes of the read-only mapping (at most {@link #MAPPED_BYTES}), at {@code offset}. */
    static MemorySegment mapped(long offset, long bytes) {
        long o = Math.max(0, Math.min(offset, MAPPED_BYTES - bytes));
        return MAPPED.asSlice(o, bytes);
    }

    static boolean fitsMapping(long bytes) {
        return bytes <= MAPPED_BYTES;
    }

    /** The readable bytes of a segment, or null when it is null, closed or not accessible from this thread. */
    static byte[] snapshot(MemorySegment s) {
        if (s == null || !s.scope().isAlive() || !s.isAccessibleBy(Thread.currentThread())) {
            return null;
        }
        return s.toArray(ValueLayout.JAVA_BYTE);
    }
}
