package dev.qlanes.faults;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The child JVM's side of the fault tests ({@link ChildJvm}): each mode provokes one fault and prints one line,
 * {@code OUTCOME <what the caller saw>}, unless the fault kills the JVM first.
 *
 * <ul>
 *   <li>{@code jdk-scalar|jdk-vector|jdk-copy <warm-up calls>}: reads a mapped 64 KiB file with
 *       {@code MemorySegment.get}, {@code ByteVector.fromMemorySegment} or {@code MemorySegment.copy}, first
 *       {@code warm-up calls} times (so that the JIT flags chosen by the test have compiled the read), then once more
 *       after truncating the file to 0 bytes;</li>
 *   <li>{@code layer}: a 1024x4096 hybrid and full-integer layer on a mapped 4 MiB weights file, warmed up, then the
 *       file truncated and both layers called again: the outcome says whether the results still equal the
 *       reference;</li>
 *   <li>{@code prepare-truncated}: weights prepared from a mapping whose file was truncated first;</li>
 *   <li>{@code prepare-direct-limit}: 4 MiB of mapped weights prepared under a smaller
 *       {@code -XX:MaxDirectMemorySize} (their private copy counts against it), then the same from a heap array;</li>
 *   <li>{@code workspace-oom}: a layer call whose workspace cannot grow in the heap (run with a small
 *       {@code -Xmx}), then a normal call on the same layer.</li>
 * </ul>
 */
public final class FaultProbe {
    static final String OUTCOME = "OUTCOME ";
    /** Bytes of the file the JDK probes map: 16 pages. */
    private static final int JDK_PROBE_BYTES = 1 << 16;
    /** Stride of the JDK probes' reads: one per cache line. */
    private static final int STRIDE = 64;
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    private static final byte[] COPY_BUFFER = new byte[4096];
    /** The layer probe's shape: 4 MiB of weights, the size of the reported crash. */
    private static final int UNITS = 1024;
    private static final int INPUT_SIZE = 4096;
    /** Calls before truncating: enough for C2 to compile the kernels (checked by the crash it used to cause). */
    private static final int LAYER_WARM_UP_CALLS = 400;

    private FaultProbe() {}

    public static void main(String[] args) throws Exception {
        String outcome;
        try {
            outcome = switch (args[0]) {
                case "jdk-scalar", "jdk-vector", "jdk-copy" -> jdkRead(args[0], Integer.parseInt(args[1]));
                case "layer" -> layerOnTruncatedFile();
                case "prepare-truncated" -> prepareTruncated();
                case "prepare-direct-limit" -> prepareBeyondDirectMemoryLimit();
                case "workspace-oom" -> workspaceOom();
                default -> throw new IllegalArgumentException("mode " + args[0]);
            };
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            outcome = "unexpected " + t;
        }
        System.out.println(OUTCOME + outcome);
        System.out.flush();
        System.exit(0); // pool threads must not keep the child alive
    }

    private static String jdkRead(String mode, int warmUpCalls) throws Exception {
        Path file = Files.createTempFile("qlanes-fault", ".bin");
        try (Arena arena = Arena.ofShared();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[JDK_PROBE_BYTES]));
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, JDK_PROBE_BYTES, arena);
            long sum = 0;
            for (int i = 0; i < warmUpCalls; i++) {
                sum += read(mode, mapped);
            }
            channel.truncate(0);
            try {
                sum += read(mode, mapped);
                return "no exception (" + sum + ")";
            } catch (InternalError e) {
                return "InternalError: " + e.getMessage();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long read(String mode, MemorySegment s) {
        return switch (mode) {
            case "jdk-scalar" -> scalarRead(s);
            case "jdk-vector" -> vectorRead(s);
            default -> copyRead(s);
        };
    }

    private static long scalarRead(MemorySegment s) {
        long sum = 0;
        for (long i = 0; i < s.byteSize(); i += STRIDE) {
            sum += s.get(ValueLayout.JAVA_BYTE, i);
        }
        return sum;
    }

    private static long vectorRead(MemorySegment s) {
        ByteVector sum = ByteVector.zero(BYTES);
        for (long i = 0; i + STRIDE <= s.byteSize(); i += STRIDE) {
            sum = sum.add(ByteVector.fromMemorySegment(BYTES, s, i, ByteOrder.nativeOrder()));
        }
        return sum.reduceLanesToLong(VectorOperators.ADD);
    }

    private static long copyRead(MemorySegment s) {
        long sum = 0;
        for (long i = 0; i + COPY_BUFFER.length <= s.byteSize(); i += COPY_BUFFER.length) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, i, COPY_BUFFER, 0, COPY_BUFFER.length);
            sum += COPY_BUFFER[7];
        }
        return sum;
    }

    /** The reported crash: weights mapped from a file that is truncated while layers use them. */
    private static String layerOnTruncatedFile() throws Exception {
        Shapes shapes = Shapes.random(42, UNITS, INPUT_SIZE);
        Path file = Files.createTempFile("qlanes-weights", ".bin");
        Files.write(file, shapes.weights());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Arena arena = Arena.ofShared();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            PreparedWeights weights = PreparedWeights.perChannel(mapped, UNITS, INPUT_SIZE, shapes.scales());
            HybridFullyConnected hybrid = shapes.hybrid(weights, 2, pool);
            QuantizedFullyConnected quantized = shapes.quantized(weights, 1, null);
            float[] x = Shapes.floats(1, INPUT_SIZE);
            byte[] q = Shapes.bytes(2, 4 * INPUT_SIZE);
            float[] y = new float[UNITS];
            byte[] z = new byte[4 * UNITS];
            for (int i = 0; i < LAYER_WARM_UP_CALLS; i++) {
                hybrid.eval(x, 1, y);
                quantized.eval(q, 4, z);
            }
            channel.truncate(0);
            java.util.Arrays.fill(y, Float.NaN);
            java.util.Arrays.fill(z, (byte) 0x5A);
            hybrid.eval(x, 1, y);
            quantized.eval(q, 4, z);
            int h = Shapes.firstDifference(shapes.hybridReference(x, 1), y);
            int f = Shapes.firstDifference(shapes.quantizedReference(q, 4), z);
            return h < 0 && f < 0 ? "reference results after truncation"
                    : "results differ from the reference: hybrid at " + h + ", full-integer at " + f;
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(file);
        }
    }

    private static String prepareTruncated() throws Exception {
        Shapes shapes = Shapes.random(7, 64, 1024);
        Path file = Files.createTempFile("qlanes-weights", ".bin");
        Files.write(file, shapes.weights());
        try (Arena arena = Arena.ofShared();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            channel.truncate(0);
            try {
                PreparedWeights.perTensor(mapped, 64, 1024, 0.01f);
                return "prepared without an exception";
            } catch (IllegalStateException e) {
                return "IllegalStateException: " + e.getMessage() + " / cause " + e.getCause();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String prepareBeyondDirectMemoryLimit() throws Exception {
        Shapes shapes = Shapes.random(8, UNITS, INPUT_SIZE);
        Path file = Files.createTempFile("qlanes-weights", ".bin");
        Files.write(file, shapes.weights());
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            String outcome;
            try {
                PreparedWeights.perChannel(mapped, UNITS, INPUT_SIZE, shapes.scales());
                outcome = "prepared without an exception";
            } catch (OutOfMemoryError e) {
                outcome = "OutOfMemoryError: " + e.getMessage();
            }
            float[] x = Shapes.floats(5, INPUT_SIZE);
            float[] y = new float[UNITS];
            shapes.hybrid(shapes.prepared(), 1, null).eval(x, 1, y);
            return outcome + (Shapes.firstDifference(shapes.hybridReference(x, 1), y) < 0
                    ? "; heap weights still work" : "; heap weights differ from the reference");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A segment call whose workspace needs more heap than {@code -Xmx} allows (the input is native; its heap stage
     * is not), then normal calls: the layer must still work and its pool must still hold its one workspace.
     */
    private static String workspaceOom() throws Exception {
        int units = 16;
        int inputSize = 4096;
        int hugeBatch = 4096; // a 64 MiB float stage and a 16 MiB int8 one
        Shapes shapes = Shapes.random(3, units, inputSize);
        HybridFullyConnected layer = shapes.hybrid(shapes.prepared(), 1, null);
        float[] x = Shapes.floats(4, 2 * inputSize);
        float[] y = new float[2 * units];
        layer.eval(x, 2, y);
        int idleBefore = idleWorkspaces(layer);
        String oom;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate((long) hugeBatch * inputSize * Float.BYTES);
            MemorySegment out = arena.allocate((long) hugeBatch * units * Float.BYTES);
            out.fill((byte) 0x7F);
            try {
                layer.eval(in, hugeBatch, out);
                return "the huge call did not run out of memory: raise the batch or lower -Xmx";
            } catch (OutOfMemoryError e) {
                oom = "OutOfMemoryError: " + e.getMessage();
            }
            for (long i = 0; i < out.byteSize(); i++) {
                if (out.get(ValueLayout.JAVA_BYTE, i) != 0x7F) {
                    return oom + ", but the output segment was written at byte " + i;
                }
            }
        }
        int idleAfter = idleWorkspaces(layer);
        java.util.Arrays.fill(y, Float.NaN);
        layer.eval(x, 2, y);
        int d = Shapes.firstDifference(shapes.hybridReference(x, 2), y);
        return oom + "; output untouched; idle workspaces " + idleBefore + " -> " + idleAfter
                + (d < 0 ? "; next call equals the reference" : "; next call differs at " + d);
    }

    /** The layer's idle pooled workspaces, read through its private pool (diagnostics only). */
    private static int idleWorkspaces(Object layer) throws ReflectiveOperationException {
        Field field = layer.getClass().getDeclaredField("workspaces");
        field.setAccessible(true);
        Object pool = field.get(layer);
        return (int) pool.getClass().getMethod("idle").invoke(pool);
    }
}
