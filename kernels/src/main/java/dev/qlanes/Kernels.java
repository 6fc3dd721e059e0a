package dev.qlanes;

import dev.qlanes.internal.KernelProvider;

/** Which kernel implementation {@link TensorUtils} runs in this JVM, decided once at first use. */
public final class Kernels {
    private Kernels() {}

    /**
     * What runs and why.
     *
     * @param implementation "vector" (Java Vector API kernels) or "reference" (scalar loops)
     * @param vectorBitSize  the vector width in bits, 0 when not vectorized
     * @param reason         why this implementation was chosen (e.g. why the reference runs, or that a width was forced)
     */
    public record Info(String implementation, int vectorBitSize, String reason) {
        /** Whether the Java Vector API kernels are in use. */
        public boolean vectorized() {
            return vectorBitSize > 0;
        }

        /** One line: the implementation, its width and the reason, e.g. {@code qlanes: vector kernels, 256-bit (preferred width)}. */
        @Override
        public String toString() {
            return vectorized()
                    ? "qlanes: vector kernels, " + vectorBitSize + "-bit (" + reason + ")"
                    : "qlanes: scalar reference kernels (" + reason + ")";
        }
    }

    /** The implementation in use; resolving it logs its one-line description once through {@link System.Logger}. */
    public static Info info() {
        return KernelProvider.info();
    }
}
