package dev.qlanes.internal;

import dev.qlanes.Kernels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides once which kernels this JVM uses, after Lucene's {@code VectorizationProvider}, and hands out both
 * surfaces from that one decision: the {@link TensorKernels} behind {@code TensorUtils} and the {@link LayerKernels}
 * (with their {@link DotRows}) behind the layers and prepared weights. The vector kernels run when
 * {@code jdk.incubator.vector} is readable, the VM is HotSpot with C2, and the (forced or preferred) vector width is
 * at least 128 bits; otherwise the scalar kernels, with the reason. The vector implementations are loaded
 * reflectively, so no vector class links when the module is absent; if either fails to load, neither is used. The
 * decision is logged once, as one line, through {@link System.Logger}.
 *
 * <p>Tests can run other layer kernels for objects built inside {@link #buildWith}, so that the scalar kernels are
 * checked against the reference in every JVM configuration, not only in those where dispatch picks them.
 *
 * <p>Properties: {@value #FORCE_REFERENCE}{@code =true} forces the reference; {@value #VECTOR_BITS}{@code
 * =128|256|512} forces a width (wider than the hardware is correct but very slow; for tests).
 */
public final class KernelProvider {
    private KernelProvider() {}

    public static final String FORCE_REFERENCE = "qlanes.forceReference";
    public static final String VECTOR_BITS = "qlanes.vectorBits";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_TENSOR_KERNELS = "dev.qlanes.internal.vector.VectorTensorKernels";
    private static final String VECTOR_LAYER_KERNELS = "dev.qlanes.internal.vector.VectorLayerKernels";
    /** Narrower vectors than this gain nothing over scalar code for int8 work. */
    private static final int MIN_VECTOR_BITS = 128;

    private record Choice(TensorKernels tensors, LayerKernels layers, Kernels.Info info) {}

    private static final class Holder {
        static final Choice CHOICE = log(choose());
    }

    /** Bound only inside {@link #buildWith}, on the thread that called it. */
    private static final ScopedValue<LayerKernels> BUILD_WITH = ScopedValue.newInstance();

    /** The kernels {@code TensorUtils} dispatches to. */
    public static TensorKernels tensorKernels() {
        return Holder.CHOICE.tensors();
    }

    /**
     * The layer kernels of this JVM (or, inside {@link #buildWith} on its thread, the kernels given there). Called
     * once per object: layers and prepared weights keep what they got at construction.
     */
    public static LayerKernels layerKernels() {
        return BUILD_WITH.isBound() ? BUILD_WITH.get() : Holder.CHOICE.layers();
    }

    /**
     * For tests: runs {@code build} on this thread with {@link #layerKernels()} returning {@code kernels}, so that the
     * layers and prepared weights it constructs use them for their whole life. Not exported by the module.
     */
    public static <T> T buildWith(LayerKernels kernels, Supplier<T> build) {
        return ScopedValue.where(BUILD_WITH, kernels).call(build::get);
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
        return new Choice(new ReferenceTensorKernels(), new ScalarLayerKernels(), new Kernels.Info("reference", 0, reason));
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
            Class<?> type = Class.forName(VECTOR_TENSOR_KERNELS);
            TensorKernels tensors = (TensorKernels) type.getMethod("create").invoke(null);
            int bits = (int) type.getMethod("bitSize").invoke(tensors);
            if (bits < MIN_VECTOR_BITS) {
                return reference("preferred vector width is " + bits + " bits, below " + MIN_VECTOR_BITS);
            }
            LayerKernels layers = (LayerKernels) Class.forName(VECTOR_LAYER_KERNELS).getMethod("create").invoke(null);
            String reason = forced != 0 ? "forced by -D" + VECTOR_BITS + "=" + forced : "preferred width";
            return new Choice(tensors, layers, new Kernels.Info("vector", bits, reason));
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
