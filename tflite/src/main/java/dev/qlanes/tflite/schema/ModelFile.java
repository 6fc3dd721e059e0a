package dev.qlanes.tflite.schema;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TensorFlow Lite model file ({@code .tflite}: a FlatBuffer of TFLite's {@code schema.fbs}, file identifier
 * {@code TFL3}, schema version 3), read and validated in full when opened: its main subgraph (subgraph 0) as
 * {@link TensorInfo tensors} and {@link OperatorInfo operators} in execution order, with its inputs and outputs.
 *
 * <p><b>Untrusted input.</b> Every offset, length and index in the file is checked against the bytes present before
 * anything is read or allocated; shapes, buffer sizes, quantization parameters and tensor indices are checked as
 * TFLite's interpreter checks them (more strictly in a few places, see {@code docs/tflite-format.md}). Any defect
 * ends in a {@link ModelFormatException} that names what is wrong and where.
 *
 * <p><b>Memory.</b> Constant tensor data is not copied again: {@link TensorInfo#data()} is a read-only slice of the
 * model's memory. {@link #open(Path)} reads the file into native memory of a shared arena (it does not map it, so the
 * file may change afterwards without affecting the model), and the slices may be read from any thread until
 * {@link #close()} frees it; reading a slice after that throws {@link IllegalStateException}. The decoded
 * description (names, shapes, scales) is plain heap data and stays valid after closing.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try (ModelFile model = ModelFile.open(Path.of("model.tflite"))) {
 *     for (OperatorInfo op : model.operators()) {
 *         if (op.options() instanceof FullyConnectedOptions fc) {
 *             TensorInfo weights = model.tensors().get(op.input(1));
 *             MemorySegment w = weights.data();           // int8 [units, inputSize], in place
 *             Quantization q = weights.quantization();    // per-tensor or per-channel scales
 *         }
 *     }
 * }
 * }</pre>
 */
public final class ModelFile implements AutoCloseable {
    /** Largest read: a {@link java.nio.ByteBuffer} view holds at most {@code Integer.MAX_VALUE} bytes. */
    private static final int READ_CHUNK = 1 << 30;

    private final Arena arena;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int version;
    private final String description;
    private final List<TensorInfo> tensors;
    private final List<OperatorInfo> operators;
    private final int[] inputs;
    private final int[] outputs;
    private final int subgraphCount;

    private ModelFile(Arena arena, ModelParser.Parsed parsed) {
        this.arena = arena;
        this.version = parsed.version();
        this.description = parsed.description() == null ? "" : parsed.description();
        this.tensors = parsed.tensors();
        this.operators = parsed.operators();
        this.inputs = parsed.inputs().clone();
        this.outputs = parsed.outputs().clone();
        this.subgraphCount = parsed.subgraphCount();
    }

    /**
     * Reads {@code file} into native memory and parses it. The file is read with plain reads, not mapped: once this
     * returns, nothing done to the file (truncated, rewritten in place during a deploy) reaches the model, whereas a
     * mapping whose file is truncated faults on access (on JDK 25, fatally in Vector API code; see
     * {@code docs/faults.md}).
     *
     * @param file a {@code .tflite} file
     * @return the model; close it to free its memory
     * @throws ModelFormatException if the file is not a valid TFLite model this reader supports
     * @throws IOException if the file cannot be read, or shrinks while it is being read
     */
    public static ModelFile open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment bytes = readFully(channel, arena, file);
            return new ModelFile(arena, parse(bytes.asReadOnly(), file.toString()));
        } catch (Throwable t) {
            arena.close();
            throw t;
        }
    }

    /** The channel's {@code size()} bytes from position 0, read into {@code arena}. */
    private static MemorySegment readFully(FileChannel channel, Arena arena, Path file) throws IOException {
        long size = channel.size();
        MemorySegment bytes = arena.allocate(Math.max(1, size)).asSlice(0, size);
        long done = 0;
        while (done < size) {
            java.nio.ByteBuffer chunk = bytes.asSlice(done, Math.min(READ_CHUNK, size - done)).asByteBuffer();
            while (chunk.hasRemaining()) {
                int n = channel.read(chunk, done + chunk.position());
                if (n < 0) {
                    throw new IOException(file + ": the file shrank to " + channel.size() + " bytes while being read"
                            + " (it was " + size + "); open it again once it is complete");
                }
            }
            done += chunk.capacity();
        }
        return bytes;
    }

    /**
     * Reads a model from memory the caller owns (a heap segment over a {@code byte[]}, a mapped or native segment; a
     * mapped one must not be truncated while in use: reading a truncated mapping throws {@link InternalError}, then or later).
     * The model's data slices are read-only views of {@code bytes}: they stay valid while {@code bytes} does, and
     * change if the caller changes {@code bytes}. {@link #close()} does nothing.
     *
     * @param bytes the whole model file
     * @return the model
     * @throws ModelFormatException if the bytes are not a valid TFLite model this reader supports
     * @throws IllegalStateException if {@code bytes} is no longer alive
     */
    public static ModelFile read(MemorySegment bytes) throws ModelFormatException {
        Objects.requireNonNull(bytes, "bytes");
        if (!bytes.scope().isAlive()) {
            throw new IllegalStateException("the segment's arena is closed");
        }
        return new ModelFile(null, parse(bytes, "model"));
    }

    private static ModelParser.Parsed parse(MemorySegment bytes, String source) throws ModelFormatException {
        try {
            return ModelParser.parse(bytes);
        } catch (RuntimeException e) {
            // A reader defect: still a rejection of this file, never a crash of the caller. The cause tells it
            // apart from the checked rejections (the fuzz tests fail on it).
            throw new ModelFormatException(source + ": internal error of the model reader (" + e + ")", e);
        }
    }

    /** @return the schema version (always 3: the only one TFLite and this reader accept) */
    public int version() {
        return version;
    }

    /** @return the model's description, {@code ""} when it has none */
    public String description() {
        return description;
    }

    /** @return the tensors of subgraph 0, indexed by tensor index (unmodifiable) */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** @return the operators of subgraph 0, in file (execution) order (unmodifiable) */
    public List<OperatorInfo> operators() {
        return operators;
    }

    /** @return the tensor indices of subgraph 0's inputs (a copy) */
    public int[] inputs() {
        return inputs.clone();
    }

    /** @return the tensor indices of subgraph 0's outputs (a copy) */
    public int[] outputs() {
        return outputs.clone();
    }

    /** @return the number of subgraphs (all validated; only subgraph 0 is described here) */
    public int subgraphCount() {
        return subgraphCount;
    }

    /**
     * Frees the memory of a file opened with {@link #open(Path)}: the {@code data} segments handed out become invalid. Does
     * nothing for a model {@link #read(MemorySegment) read} from the caller's memory, or when already closed.
     */
    @Override
    public void close() {
        if (arena != null && closed.compareAndSet(false, true)) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ModelFile[version " + version + ", " + tensors.size() + " tensors, " + operators.size()
                + " operators, " + subgraphCount + " subgraph" + (subgraphCount == 1 ? "" : "s") + "]";
    }
}
