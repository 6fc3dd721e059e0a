package dev.qlanes.internal;

import dev.qlanes.Kernels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Decides once which {@link TensorKernels} this JVM uses, after Lucene's {@code VectorizationProvider}:
 * the vector kernels when {@code jdk.incubator.vector} is readable, the VM is HotSpot with C2, and the
 * (forced or preferred) vector width is at least 128 bits; otherwise the scalar reference, with the reason.
 * The vector implementation is loaded reflectively, so no vector class links when the module is absent.
 * The decision is logged once, as one line, through {@link System.Logger}.
 *
 * <p>Properties: {@value #FORCE_REFERENCE}{@code =true} forces the reference; {@value #VECTOR_BITS}{@code
 * =128|256|512} forces a width (wider than the hardware is correct but very slow; for tests).
 */
public final class KernelProvider {
    private KernelProvider() {}

    public static final String FORCE_REFERENCE = "qlanes.forceReference";
    public static final String VECTOR_BITS = "qlanes.vectorBits";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_IMPLEMENTATION = "dev.qlanes.internal.vector.VectorTensorKernels";
    /** Narrower vectors than this gain nothing over scalar code for int8 work. */
    private static final int MIN_VECTOR_BITS = 128;

    private record Choice(TensorKernels kernels, Kernels.Info info) {}

    private static final class Holder {
        static final Choice CHOICE = log(choose());
    }

    /** The kernels {@code TensorUtils} dispatches to. */
    public static TensorKernels kernels() {
        return Holder.CHOICE.kernels();
    }

    public static Kernels.Info info() {
        return Holder.CHOICE.info();
    }

    /**
     * The width forced by {@value #VECTOR_BITS}, or 0 when none is.
     *
     * @throws IllegalArgumentException for a value other than 128, 256 or 512
     */
    public static int forcedVectorBits() {
        String value = System.getProperty(VECTOR_BITS);
        if (value == null || value.isBlank()) {
            return 0;
        }
        return switch (value.trim()) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new IllegalArgumentException("-D" + VECTOR_BITS + "=" + value
                    + ", expected 128, 256 or 512");
        };
    }

    private static Choice log(Choice choice) {
        System.getLogger("dev.qlanes").log(System.Logger.Level.INFO, choice.info().toString());
        return choice;
    }

    private static Choice reference(String reason) {
        return new Choice(new ReferenceTensorKernels(), new Kernels.Info("reference", 0, reason));
    }

    private static Choice choose() {
        if (Boolean.getBoolean(FORCE_REFERENCE)) {
            return reference("forced by -D" + FORCE_REFERENCE + "=true");
        }
        Optional<Module> vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vectorModule.isEmpty()) {
            return reference(VECTOR_MODULE + " is not available; run the JVM with --add-modules " + VECTOR_MODULE);
        }
        KernelProvider.class.getModule().addReads(vectorModule.get());
        String vmProblem = compilerProblem();
        if (vmProblem != null) {
            return reference(vmProblem);
        }
        int forced;
        try {
            forced = forcedVectorBits();
        } catch (IllegalArgumentException e) {
            return reference(e.getMessage());
        }
        try {
            Class<?> type = Class.forName(VECTOR_IMPLEMENTATION);
            TensorKernels kernels = (TensorKernels) type.getMethod("create").invoke(null);
            int bits = (int) type.getMethod("bitSize").invoke(kernels);
            if (bits < MIN_VECTOR_BITS) {
                return reference("preferred vector width is " + bits + " bits, below " + MIN_VECTOR_BITS);
            }
            String reason = forced != 0 ? "forced by -D" + VECTOR_BITS + "=" + forced : "preferred width";
            return new Choice(kernels, new Kernels.Info("vector", bits, reason));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return reference("vector kernels failed to load: " + e);
        }
    }

    /** Why the JIT cannot compile the Vector API into SIMD code, or null when it can (HotSpot with C2). */
    private static String compilerProblem() {
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return "the Vector API is only intrinsified by HotSpot's C2, this VM is " + vm;
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint), the Vector API would be far slower than scalar code";
        }
        try {
            List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String arg : args) {
                if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return "C2 is disabled (" + arg + ")";
                }
                if (arg.equals("-XX:-UseCompiler")) {
                    return "the JIT compiler is disabled (" + arg + ")";
                }
            }
        } catch (LinkageError | RuntimeException e) {
            // java.management absent: nothing more can be learned; assume a standard server VM
        }
        return null;
    }
}
