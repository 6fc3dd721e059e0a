package dev.qlanes.tflite.internal;

/** Which implementation a runner's operators use. */
public enum Backend {
    /** qlanes' layers (Vector API kernels where available) for FULLY_CONNECTED; the reference for the rest. */
    QLANES,
    /**
     * Every operator through its plain scalar twin in {@code dev.qlanes.reference}: the graph executed op by op
     * as TFLite's reference kernels define it, for checking {@link #QLANES} bit for bit.
     */
    REFERENCE
}
