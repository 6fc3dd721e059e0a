package dev.qlanes.internal;

/**
 * Picks the {@link LayerKernels} once, following {@link KernelProvider}'s decision: the Vector API layer
 * kernels exactly when the {@code TensorUtils} kernels are vectorized, else {@link ScalarLayerKernels}. The
 * vector class is loaded reflectively, so nothing from {@code jdk.incubator.vector} links when it is absent.
 * If it fails to load although the vector {@code TensorUtils} kernels did (a packaging bug), the reference
 * runs and the reason is logged as a warning and returned by {@link #kernels()}{@code .description()}.
 */
public final class LayerKernelProvider {
    private LayerKernelProvider() {}

    private static final String VECTOR_IMPLEMENTATION = "dev.qlanes.internal.vector.VectorLayerKernels";

    private static final class Holder {
        static final LayerKernels KERNELS = choose();
    }

    /** The layer kernels of this JVM. */
    public static LayerKernels kernels() {
        return Holder.KERNELS;
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
