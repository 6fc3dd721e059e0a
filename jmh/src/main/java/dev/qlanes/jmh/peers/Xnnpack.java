package dev.qlanes.jmh.peers;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * XNNPACK's C operator API, as Debian 12's {@code libxnnpack0} (0.0~git20220216) ships it, loaded through the FFM
 * API: the handful of functions that {@link XnnpackFullyConnected} needs, declared from {@code xnnpack.h} of that
 * version. Nothing is compiled; the shared library is found by the dynamic linker.
 *
 * <p>Library: the name or path in the environment variable {@value #LIBRARY_ENV} when set (then only that one),
 * else the first of {@link #LIBRARY_NAMES} that {@code dlopen} finds. Once loaded, {@code xnn_initialize(NULL)} is
 * called (system {@code malloc}); XNNPACK counts initializations, and this one is never undone.
 *
 * <p>Three outcomes, told apart so that callers can skip where XNNPACK is simply not installed but fail where it is
 * installed and broken:
 * <ul>
 *   <li>{@link #available()}: loaded, every symbol found, initialized;</li>
 *   <li>{@link #installed()} false: no library of that name could be opened ({@code apt-get install libxnnpack0});</li>
 *   <li>installed but not available: a symbol is missing (another XNNPACK version) or {@code xnn_initialize}
 *       failed (e.g. {@code unsupported_hardware}); {@link #unavailableReason()} says which.</li>
 * </ul>
 * Needs {@code --enable-native-access=ALL-UNNAMED} on the class path (without it the JDK prints a warning).
 */
public final class Xnnpack {

    /** Environment variable naming the XNNPACK shared library (a file name for {@code dlopen}, or a path). */
    public static final String LIBRARY_ENV = "QLANES_XNNPACK_LIB";
    /** Debian's soname first (the runtime package), then the development symlink. */
    static final List<String> LIBRARY_NAMES = List.of("libXNNPACK.so.0", "libXNNPACK.so");
    /** {@code XNN_EXTRA_BYTES}: XNNPACK's kernels may read (never write) this many bytes past an input's end. */
    public static final int EXTRA_BYTES = 16;
    /** {@code xnn_status_success}. */
    static final int STATUS_SUCCESS = 0;
    /** {@code enum xnn_status} of that version, by value, for error messages. */
    private static final List<String> STATUS_NAMES = List.of("success", "uninitialized", "invalid_parameter",
            "invalid_state", "unsupported_parameter", "unsupported_hardware", "out_of_memory");

    private Xnnpack() {}

    /** Whether XNNPACK was loaded and initialized (tries on the first call of any method here). */
    public static boolean available() {
        return Lib.REASON == null;
    }

    /** Whether a library of that name could be opened at all; false means "not installed", not "broken". */
    public static boolean installed() {
        return Lib.INSTALLED;
    }

    /** Why XNNPACK is unavailable, or null when it is available. */
    public static String unavailableReason() {
        return Lib.REASON;
    }

    /** The library name that was opened (e.g. "libXNNPACK.so.0"), or null when none could be. */
    public static String libraryName() {
        return Lib.NAME;
    }

    /** {@code xnn_status} as its name, e.g. "invalid_parameter (2)". */
    static String statusName(int status) {
        return (status >= 0 && status < STATUS_NAMES.size() ? STATUS_NAMES.get(status) : "unknown") + " (" + status
                + ")";
    }

    /** Throws {@link IllegalStateException} naming {@code call} unless {@code status} is success. */
    static void check(int status, String call) {
        if (status != STATUS_SUCCESS) {
            throw new IllegalStateException(call + " returned xnn_status " + statusName(status));
        }
    }

    /** The downcall handles, or {@link IllegalStateException} with the reason when XNNPACK is unavailable. */
    static Handles handles() {
        if (Lib.HANDLES == null) {
            throw new IllegalStateException("XNNPACK unavailable: " + Lib.REASON);
        }
        return Lib.HANDLES;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /**
     * One handle per C function used; argument layouts follow the 2022 {@code xnnpack.h} ({@code size_t} is
     * {@code JAVA_LONG}, {@code int8_t} {@code JAVA_BYTE}, {@code uint32_t} and {@code enum xnn_status}
     * {@code JAVA_INT}, {@code pthreadpool_t} and {@code xnn_operator_t} {@code ADDRESS}).
     */
    record Handles(MethodHandle createQs8, MethodHandle setupQs8, MethodHandle createF32, MethodHandle setupF32,
                   MethodHandle run, MethodHandle delete) {}

    /** Loaded on first use; static finals, so the JIT folds the handles into the call sites. */
    private static final class Lib {
        static final Handles HANDLES;
        static final boolean INSTALLED;
        static final String REASON;
        static final String NAME;

        static {
            Loaded l = load();
            HANDLES = l.handles;
            INSTALLED = l.name != null;
            REASON = l.reason;
            NAME = l.name;
        }
    }

    private record Loaded(Handles handles, String name, String reason) {}

    private static Loaded load() {
        String env = System.getenv(LIBRARY_ENV);
        List<String> names = env != null && !env.isBlank() ? List.of(env.trim()) : LIBRARY_NAMES;
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            SymbolLookup lookup;
            try {
                lookup = open(name);
            } catch (IllegalArgumentException e) { // dlopen failed: not there under this name
                problems.add(name + ": " + e.getMessage());
                continue;
            }
            try {
                return new Loaded(bind(lookup), name, null);
            } catch (Throwable t) { // never let class initialization fail: report instead
                return new Loaded(null, name, "XNNPACK found as " + name + " but unusable: " + t);
            }
        }
        return new Loaded(null, null, "XNNPACK not installed (apt-get install libxnnpack0, or set " + LIBRARY_ENV
                + "): " + String.join("; ", problems));
    }

    @SuppressWarnings("restricted") // the point of this class; needs --enable-native-access=ALL-UNNAMED
    private static SymbolLookup open(String name) {
        return name.contains("/") ? SymbolLookup.libraryLookup(java.nio.file.Path.of(name), Arena.global())
                : SymbolLookup.libraryLookup(name, Arena.global());
    }

    @SuppressWarnings("restricted")
    private static Handles bind(SymbolLookup lookup) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle initialize = linker.downcallHandle(lookup.findOrThrow("xnn_initialize"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        Handles h = new Handles(
                linker.downcallHandle(lookup.findOrThrow("xnn_create_fully_connected_nc_qs8"),
                        FunctionDescriptor.of(JAVA_INT,
                                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, // input/output channels, input/output stride
                                JAVA_BYTE, JAVA_FLOAT, JAVA_FLOAT,          // input zero point, input scale, kernel scale
                                ADDRESS, ADDRESS,                           // kernel, bias
                                JAVA_BYTE, JAVA_FLOAT, JAVA_BYTE, JAVA_BYTE, // output zero point, scale, min, max
                                JAVA_INT, ADDRESS)),                        // flags, xnn_operator_t* out
                linker.downcallHandle(lookup.findOrThrow("xnn_setup_fully_connected_nc_qs8"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS)),
                linker.downcallHandle(lookup.findOrThrow("xnn_create_fully_connected_nc_f32"),
                        FunctionDescriptor.of(JAVA_INT,
                                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, // input/output channels, input/output stride
                                ADDRESS, ADDRESS,                           // kernel, bias
                                JAVA_FLOAT, JAVA_FLOAT,                     // output min, max
                                JAVA_INT, ADDRESS)),                        // flags, xnn_operator_t* out
                linker.downcallHandle(lookup.findOrThrow("xnn_setup_fully_connected_nc_f32"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS)),
                linker.downcallHandle(lookup.findOrThrow("xnn_run_operator"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                linker.downcallHandle(lookup.findOrThrow("xnn_delete_operator"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS)));
        check((int) initialize.invokeExact(MemorySegment.NULL), "xnn_initialize(NULL)");
        return h;
    }

    /** Prints the outcome: {@code java -cp benchmarks.jar dev.qlanes.jmh.peers.Xnnpack}. */
    public static void main(String[] args) {
        System.out.println("XNNPACK: " + (available() ? "available as " + libraryName()
                : (installed() ? "installed but unusable: " : "unavailable: ") + unavailableReason()));
    }
}
