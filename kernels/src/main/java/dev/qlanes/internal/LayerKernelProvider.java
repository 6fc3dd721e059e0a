package dev.qlanes.internal;

import java.util.function.Supplier;

/**
 * Picks the {@link LayerKernels} once, following {@link KernelProvider}'s decision: the Vector API layer
 * kernels exactly when the {@code TensorUtils} kernels are vectorized, else {@link ScalarLayerKernels}. The
 * vector class is loaded reflectively, so nothing from {@code jdk.incubator.vector} links when it is absent.
 * If it fails to load although the vector {@code TensorUtils} kernels did (a packaging bug), the reference
 * runs and the reason is logged as a warning and returned by {@link #kernels()}{@code .description()}.
 *
 * <p>Tests can run other kernels for objects built inside {@link #buildWith}, so that the scalar kernels are
 * checked against the reference in every JVM configuration, not only in those where dispatch picks them.
 */
public final class LayerKernelProvider {
    private LayerKernelProvider() {}

    private static final String VECTOR_IMPLEMENTATION = "dev.qlanes.internal.vector.VectorLayerKernels";

    private static final class Holder {
        static final LayerKernels KERNELS = choose();
    }

    /** Bound only inside {@link #buildWith}, on the thread that called it. */
    private static final ScopedValue<LayerKernels> BUILD_WITH = ScopedValue.newInstance();

    /**
     * The layer kernels of this JVM (or, inside {@link #buildWith} on its thread, the kernels given there). Called
     * once per object: layers and prepared weights keep what they got at construction.
     */
    public static LayerKernels kernels() {
        return BUILD_WITH.isBound() ? BUILD_WITH.get() : Holder.KERNELS;
    }

    /**
     * For tests: runs {@code build} on this thread with {@link #kernels()} returning {@code kernels}, so that the
     * layers and prepared weights it constructs use them for their whole life. Not exported by the module.
     */
    public static <T> T buildWith(LayerKernels kernels, Supplier<T> build) {
        return ScopedValue.where(BUILD_WITH, kernels).call(build::get);
    }

    private static LayerKernels choose() {
        if (!KernelProvider.info().vectorized()) {
            return new ScalarLayerKernels();
        }
        try {
            Class<?> type = Class.forName(VECTOR_IMPLEMENTATION);
            return (LayerKernels) type.getMethod("create").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            String reason = "vector layer kernels failed to load (" + e + "), running the reference";
            System.getLogger("dev.qlanes").log(System.Logger.Level.WARNING, reason);
            return new ScalarLayerKernels("reference: " + reason);
        }
    }
}
