/**
 * qlanes: SIMD int8 kernels with TFLite semantics. {@link dev.qlanes.TensorUtils} is the TFLite-shaped
 * facade; it dispatches to Java Vector API kernels when {@code jdk.incubator.vector} is usable, else to
 * the scalar reference. The vector module is optional ({@code requires static}): without it nothing
 * from it is linked and the reference runs.
 */
module dev.qlanes.kernels {
    requires transitive dev.qlanes.reference;
    requires static jdk.incubator.vector;
    // Only to detect -XX:TieredStopAtLevel (C2 off); absent in minimal runtimes, which is handled.
    requires static java.management;
    exports dev.qlanes;
}
