package dev.qlanes.jmh.nativeanchor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The native anchor of the benchmarks: an exact int8 dot product and int8 GEMV written in C
 * ({@code /native/qlanes_anchor.c}: AVX2 {@code vpmovsxbw + vpmaddwd} with several accumulators and
 * multi-row tiles; AVX-512BW / VNNI variants; plain C for other targets), compiled on first use with the C
 * compiler found on this machine ({@code cc -O3 -march=native -shared -fPIC}) and called through the FFM
 * API. It is the measured physical limit that qlanes' Java kernels are reported against.
 *
 * <p>Compiler: the whitespace-separated command in the environment variable {@code QLANES_CC} when set
 * (then only that one), else the first of {@code cc}, {@code gcc}, {@code clang} that runs. Flags:
 * {@code -O3 -march=native}, falling back to {@code -O3 -mcpu=native} (not on x86) and then {@code -O3}
 * when the compiler rejects them. Every build must pass an exactness self-check (random and all {@code -128}
 * inputs, odd sizes, every code path) before it is used; a build that fails it is rebuilt with
 * {@code -DQA_NO_WIDE} (no AVX-512 / AVX-VNNI) and then {@code -DQA_PORTABLE} (plain C).
 *
 * <p>When no compiler is found, or no build passes, {@link #available()} is false and
 * {@link #unavailableReason()} says why; the call paths then throw {@link IllegalStateException}.
 *
 * <p>The downcalls are {@linkplain Linker.Option#critical(boolean) critical} with heap access allowed:
 * heap segments ({@code MemorySegment.ofArray(byte[])}, {@code ofArray(int[])}) are passed without
 * copying (JDK 22+), as are native segments. Critical calls do not leave the Java thread state: a long
 * GEMV (milliseconds for a 64 MiB matrix) holds off garbage collection for its duration, which is
 * harmless in a benchmark. Needs {@code --enable-native-access=ALL-UNNAMED} on the class path (without it
 * the JDK prints a warning and goes on).
 */
public final class NativeAnchor {

    /** Environment variable naming the C compiler command. */
    public static final String CC_ENV = "QLANES_CC";

    static final String RESOURCE = "/native/qlanes_anchor.c";
    static final List<String> DEFAULT_COMPILERS = List.of("cc", "gcc", "clang");
    /** Flag sets in order of preference; {@code -mcpu=native} only off x86, where gcc takes it as -mtune. */
    static final List<List<String>> FLAG_SETS = System.getProperty("os.arch", "").matches("amd64|x86_64|x86|i[3-6]86")
            ? List.of(List.of("-O3", "-march=native"), List.of("-O3"))
            : List.of(List.of("-O3", "-march=native"), List.of("-O3", "-mcpu=native"), List.of("-O3"));
    static final List<List<String>> DEFINE_SETS =
            List.of(List.of(), List.of("-DQA_NO_WIDE"), List.of("-DQA_PORTABLE"));
    static final List<String> SHARED_FLAGS = List.of("-shared", "-fPIC");
    private static final long COMPILE_TIMEOUT_S = 120;

    private NativeAnchor() {}

    /** Whether the native kernels were compiled, loaded and passed their self-check (compiles on first call). */
    public static boolean available() {
        return Lib.DOT != null;
    }

    /** Why the anchor is unavailable (e.g. "no C compiler found ..."), or {@code null} when it is available. */
    public static String unavailableReason() {
        return Lib.REASON;
    }

    /**
     * Compiler, flags and kernel path in use, e.g. {@code gcc -O3 -march=native -shared -fPIC (gcc (Debian
     * 12.2.0-14+deb12u1) 12.2.0); kernel: avx2: vpmovsxbw + vpmaddwd, 256-bit}; when unavailable, the
     * reason.
     */
    public static String compilerDescription() {
        return Lib.DESCRIPTION;
    }

    /** The kernel path compiled ({@code qa_isa()}, e.g. "avx2: vpmovsxbw + vpmaddwd, 256-bit"), or null. */
    public static String isa() {
        return Lib.ISA;
    }

    /** The compiler command and flags used (e.g. "gcc -O3 -march=native -shared -fPIC"), or null. */
    public static String compileCommand() {
        return Lib.COMMAND;
    }

    /** The loaded shared library, or null. */
    public static Path libraryPath() {
        return Lib.LIBRARY;
    }

    /** Whether heap segments can be passed directly (critical downcalls with heap access, JDK 22+). */
    public static boolean heapSegmentsSupported() {
        return Lib.HEAP_OK;
    }

    /**
     * Exact int8 dot product {@code sum(a[i] * b[i])}, i &lt; n, in wrapping int32 arithmetic. The
     * segments are read as int8 from their start; native or (see {@link #heapSegmentsSupported()}) heap.
     */
    public static int dot(MemorySegment a, MemorySegment b, int n) {
        MethodHandle h = Lib.DOT;
        if (h == null) {
            throw unavailable();
        }
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        if (a.byteSize() < n || b.byteSize() < n) {
            throw new IndexOutOfBoundsException(
                    "n = " + n + " but segments hold " + a.byteSize() + " and " + b.byteSize() + " bytes");
        }
        try {
            return (int) h.invokeExact(a, b, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Exact int8 GEMV, batch-major: {@code out[b*rows + r] = sum_c w[r*cols + c] * x[b*cols + c]} (int32,
     * wrapping) for r &lt; rows, b &lt; batch; {@code w} row-major int8, {@code x} int8, {@code out} int32
     * in native byte order.
     */
    public static void gemv(MemorySegment w, int rows, int cols, MemorySegment x, int batch, MemorySegment out) {
        MethodHandle h = Lib.GEMV;
        if (h == null) {
            throw unavailable();
        }
        if (rows < 0 || cols < 0 || batch < 0) {
            throw new IllegalArgumentException("rows, cols, batch = " + rows + ", " + cols + ", " + batch);
        }
        if (w.byteSize() < (long) rows * cols
                || x.byteSize() < (long) batch * cols
                || out.byteSize() < 4L * batch * rows) {
            throw new IndexOutOfBoundsException("segments too small for " + batch + " x " + rows + " x " + cols
                    + ": w " + w.byteSize() + ", x " + x.byteSize() + ", out " + out.byteSize() + " bytes");
        }
        if (out.isReadOnly()) {
            throw new IllegalArgumentException("out is read-only");
        }
        try {
            h.invokeExact(w, rows, cols, x, batch, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #dot(MemorySegment, MemorySegment, int)} over whole arrays of equal length. */
    public static int dot(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " != " + b.length);
        }
        return dot(a, b, a.length);
    }

    /** {@link #dot(MemorySegment, MemorySegment, int)} over the first n elements of two arrays. */
    public static int dot(byte[] a, byte[] b, int n) {
        if (Lib.HEAP_OK || Lib.DOT == null) {
            return dot(MemorySegment.ofArray(a), MemorySegment.ofArray(b), n);
        }
        try (Arena arena = Arena.ofConfined()) {
            return dot(copy(arena, a), copy(arena, b), n);
        }
    }

    /** {@link #gemv(MemorySegment, int, int, MemorySegment, int, MemorySegment)} on arrays. */
    public static void gemv(byte[] w, int rows, int cols, byte[] x, int batch, int[] out) {
        if (Lib.HEAP_OK || Lib.GEMV == null) {
            gemv(MemorySegment.ofArray(w), rows, cols, MemorySegment.ofArray(x), batch, MemorySegment.ofArray(out));
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment o = arena.allocate(4L * out.length, 4);
            gemv(copy(arena, w), rows, cols, copy(arena, x), batch, o);
            MemorySegment.copy(o, ValueLayout.JAVA_INT, 0, out, 0, out.length);
        }
    }

    /** {@link #gemv(byte[], int, int, byte[], int, int[])} into a new array of {@code batch * rows}. */
    public static int[] gemv(byte[] w, int rows, int cols, byte[] x, int batch) {
        int[] out = new int[Math.multiplyExact(batch, rows)];
        gemv(w, rows, cols, x, batch, out);
        return out;
    }

    private static MemorySegment copy(Arena arena, byte[] a) {
        MemorySegment s = arena.allocate(Math.max(1, a.length));
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_BYTE, 0, a.length);
        return s;
    }

    private static IllegalStateException unavailable() {
        return new IllegalStateException("native anchor unavailable: " + Lib.REASON);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** Built on first use; static finals, so the JIT folds the handles into the call sites. */
    private static final class Lib {
        static final MethodHandle DOT;
        static final MethodHandle GEMV;
        static final boolean HEAP_OK;
        static final String REASON;
        static final String DESCRIPTION;
        static final String ISA;
        static final String COMMAND;
        static final Path LIBRARY;

        static {
            Loaded l = build();
            DOT = l.dot;
            GEMV = l.gemv;
            HEAP_OK = l.heapOk;
            REASON = l.reason;
            ISA = l.isa;
            COMMAND = l.command;
            LIBRARY = l.library;
            DESCRIPTION = l.reason != null
                    ? "unavailable: " + l.reason
                    : l.command + " (" + l.version + "); kernel: " + l.isa;
        }
    }

    /** Outcome of building: handles and descriptions, or a reason. */
    record Loaded(MethodHandle dot, MethodHandle gemv, boolean heapOk, String reason, String isa, String command,
                  String version, Path library) {
        static Loaded failed(String reason) {
            return new Loaded(null, null, false, reason, null, null, null, null);
        }
    }

    static Loaded build() {
        try {
            return buildOrThrow();
        } catch (Throwable t) { // never let class initialization fail: report instead
            return Loaded.failed("native anchor build failed: " + t);
        }
    }

    private static Loaded buildOrThrow() throws IOException, InterruptedException {
        List<List<String>> compilers = new ArrayList<>();
        String env = System.getenv(CC_ENV);
        if (env != null && !env.isBlank()) {
            compilers.add(List.of(env.trim().split("\\s+")));
        } else {
            DEFAULT_COMPILERS.forEach(c -> compilers.add(List.of(c)));
        }
        Path dir = Files.createTempDirectory("qlanes-anchor-");
        dir.toFile().deleteOnExit();
        Path src = dir.resolve("qlanes_anchor.c");
        try (InputStream in = NativeAnchor.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Loaded.failed("resource " + RESOURCE + " missing from the class path");
            }
            Files.write(src, in.readAllBytes());
        }
        src.toFile().deleteOnExit();

        List<String> problems = new ArrayList<>();
        boolean anyCompiler = false;
        int attempt = 0;
        for (List<String> cc : compilers) {
            String version = compilerVersion(cc, dir);
            if (version == null) {
                continue;
            }
            anyCompiler = true;
            for (List<String> flags : FLAG_SETS) {
                boolean compiled = false;
                for (List<String> defines : DEFINE_SETS) {
                    Path lib = dir.resolve(System.mapLibraryName("qlanes_anchor_" + attempt++));
                    List<String> cmd = new ArrayList<>(cc);
                    cmd.addAll(flags);
                    cmd.addAll(SHARED_FLAGS);
                    cmd.addAll(defines);
                    String shown = String.join(" ", cmd);
                    cmd.addAll(List.of("-o", lib.toString(), src.toString()));
                    String failure = compile(cmd, dir);
                    if (failure != null) {
                        problems.add(shown + ": " + failure);
                        if (!compiled) {
                            break; // these flags do not work with this compiler: try the next flag set
                        }
                        continue;
                    }
                    compiled = true;
                    lib.toFile().deleteOnExit();
                    Loaded loaded = load(lib, shown, version);
                    if (loaded.reason == null) {
                        return loaded;
                    }
                    problems.add(shown + ": " + loaded.reason);
                }
                if (compiled) {
                    break; // compiled, but no variant passed: other flags will not help
                }
            }
        }
        if (!anyCompiler) {
            return Loaded.failed(env != null && !env.isBlank()
                    ? "no C compiler found: " + CC_ENV + "='" + env + "' does not run"
                    : "no C compiler found (tried " + String.join(", ", DEFAULT_COMPILERS) + "; set " + CC_ENV
                            + " to choose one)");
        }
        return Loaded.failed("no build of " + RESOURCE + " worked: " + String.join(" | ", problems));
    }

    /** First line of {@code cc --version}, or null when the command does not run. */
    private static String compilerVersion(List<String> cc, Path dir) throws InterruptedException {
        List<String> cmd = new ArrayList<>(cc);
        cmd.add("--version");
        Path log = dir.resolve("version.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null;
            }
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            int nl = out.indexOf('\n');
            return nl < 0 ? out : out.substring(0, nl).strip();
        } catch (IOException e) {
            return null;
        } finally {
            log.toFile().delete();
        }
    }

    /** Runs the compiler; null on success, else a short description of the failure. */
    private static String compile(List<String> cmd, Path dir) throws InterruptedException, IOException {
        Path log = dir.resolve("compile.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out after " + COMPILE_TIMEOUT_S + " s";
            }
            if (p.exitValue() != 0) {
                String out = Files.readString(log, StandardCharsets.UTF_8).strip();
                return "exit " + p.exitValue() + ": " + (out.length() > 600 ? out.substring(0, 600) + "..." : out);
            }
            return null;
        } catch (IOException e) {
            return e.toString();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @SuppressWarnings("restricted") // the point of this class; needs --enable-native-access=ALL-UNNAMED
    private static Loaded load(Path lib, String command, String version) {
        MethodHandle dot;
        MethodHandle gemv;
        String isa;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
            Linker.Option critical = Linker.Option.critical(true);
            dot = linker.downcallHandle(lookup.findOrThrow("qa_dot_i8"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), critical);
            gemv = linker.downcallHandle(lookup.findOrThrow("qa_gemv_i8"),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
            MethodHandle abi = linker.downcallHandle(lookup.findOrThrow("qa_abi_version"),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle isaFn = linker.downcallHandle(lookup.findOrThrow("qa_isa"), FunctionDescriptor.of(ADDRESS));
            int version1 = (int) abi.invokeExact();
            if (version1 != 1) {
                return Loaded.failed("qa_abi_version() = " + version1 + ", expected 1");
            }
            MemorySegment p = (MemorySegment) isaFn.invokeExact();
            isa = p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return Loaded.failed("loading " + lib + ": " + t);
        }
        boolean heapOk = true;
        try {
            boolean heapPassed;
            try {
                heapPassed = selfCheck(dot, gemv, true);
            } catch (IllegalArgumentException e) { // heap segments refused: callers use native segments
                heapOk = false;
                heapPassed = true;
            }
            if (!heapPassed || !selfCheck(dot, gemv, false)) {
                return Loaded.failed("self-check: results differ from exact int32 arithmetic (kernel " + isa + ")");
            }
        } catch (Throwable t) {
            return Loaded.failed("self-check: " + t);
        }
        return new Loaded(dot, gemv, heapOk, null, isa, command, version, lib);
    }

    /**
     * Checks dot and GEMV against plain Java int arithmetic: random values and all -128, sizes around every
     * vector step and tail, batch 1..5 (4x2 and 4x1 tiles, remainder rows), column blocking (cols &gt; 2048
     * with batch &gt; 2). Heap or native segments.
     */
    static boolean selfCheck(MethodHandle dot, MethodHandle gemv, boolean heap) throws Throwable {
        SplittableRandom random = new SplittableRandom(0x9e3779b97f4a7c15L);
        try (Arena arena = Arena.ofConfined()) {
            for (int fill = 0; fill < 2; fill++) {
                int[] sizes = {0, 1, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 257, 1000, 4099};
                for (int n : sizes) {
                    byte[] a = fill == 0 ? randomBytes(random, n) : minBytes(n);
                    byte[] b = fill == 0 ? randomBytes(random, n) : minBytes(n);
                    int got = (int) dot.invokeExact(segment(arena, a, heap), segment(arena, b, heap), n);
                    if (got != referenceDot(a, 0, b, 0, n)) {
                        return false;
                    }
                }
                int[][] shapes = {{1, 1, 1}, {4, 17, 1}, {5, 33, 2}, {7, 100, 3}, {9, 65, 5}, {6, 2100, 3},
                                  {4, 4099, 4}, {3, 31, 4}, {8, 0, 3}};
                for (int[] s : shapes) {
                    int rows = s[0];
                    int cols = s[1];
                    int batch = s[2];
                    byte[] w = fill == 0 ? randomBytes(random, rows * cols) : minBytes(rows * cols);
                    byte[] x = fill == 0 ? randomBytes(random, batch * cols) : minBytes(batch * cols);
                    int[] out = new int[batch * rows];
                    Arrays.fill(out, 0x5a5a5a5a);
                    MemorySegment o = heap ? MemorySegment.ofArray(out) : arena.allocate(4L * out.length, 4);
                    if (!heap) {
                        o.fill((byte) 0x5a);
                    }
                    gemv.invokeExact(segment(arena, w, heap), rows, cols, segment(arena, x, heap), batch, o);
                    int[] got = heap ? out : o.toArray(ValueLayout.JAVA_INT);
                    if (!Arrays.equals(got, referenceGemv(w, rows, cols, x, batch))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static MemorySegment segment(Arena arena, byte[] a, boolean heap) {
        return heap ? MemorySegment.ofArray(a) : copy(arena, a);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) random.nextInt(256);
        }
        return a;
    }

    private static byte[] minBytes(int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, Byte.MIN_VALUE);
        return a;
    }

    static int referenceDot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    static int[] referenceGemv(byte[] w, int rows, int cols, byte[] x, int batch) {
        int[] out = new int[batch * rows];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                out[b * rows + r] = referenceDot(w, r * cols, x, b * cols, cols);
            }
        }
        return out;
    }

    /** Prints the build outcome: {@code java -cp benchmarks.jar dev.qlanes.jmh.nativeanchor.NativeAnchor}. */
    public static void main(String[] args) {
        System.out.println("native anchor: " + (available() ? "available" : "unavailable"));
        System.out.println("  " + compilerDescription());
        if (available()) {
            System.out.println("  library: " + libraryPath() + ", heap segments: " + heapSegmentsSupported()
                    + ", os.arch: " + System.getProperty("os.arch"));
        }
    }
}
