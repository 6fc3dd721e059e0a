package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import java.util.SplittableRandom;

/**
 * The layer that {@link LayerBenchmark} and {@link ThreadFloorBenchmark} measure, drawn once from {@link Data#SEED}:
 * int8 weights with per-channel scales, a float bias, float and int8 inputs, the two layers' settings, and what
 * their reference twins compute for the whole layer. One definition, so that a floor always bounds the very layer
 * it is run beside.
 */
final class LayerData {
    /** The int8 layer's input and output quantization: a zero point on each side, as a real model has. */
    static final float INPUT_SCALE = 0.05f;
    static final int INPUT_ZERO_POINT = -3;
    static final float OUTPUT_SCALE = 0.5f;
    static final int OUTPUT_ZERO_POINT = 2;

    final Shape shape;
    /** {@code [rows × cols]}. */
    final byte[] weights;
    /** Per output channel, positive. */
    final float[] scales;
    final float[] bias;
    /** {@code [batch × cols]}. */
    final float[] floatInput;
    /** {@code [batch × cols]}. */
    final byte[] int8Input;

    LayerData(Shape shape) {
        this.shape = shape;
        SplittableRandom random = new SplittableRandom(Data.SEED);
        weights = Data.weights(random, shape.rows() * shape.cols());
        scales = Data.floats(random, shape.rows(), 0.01);
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Math.abs(scales[i]) + 1e-4f;
        }
        bias = Data.floats(random, shape.rows(), 0.1);
        floatInput = Data.floats(random, shape.batch() * shape.cols(), 1.0);
        int8Input = Data.int8(random, shape.batch() * shape.cols());
    }

    /** The hybrid layer's settings (asymmetric inputs, no activation) on {@code weights}, with {@code bias}. */
    static HybridFullyConnected.Builder hybrid(PreparedWeights weights, float[] bias) {
        return HybridFullyConnected.builder(weights).bias(bias).asymmetricInputs(true)
                .activation(FusedActivation.NONE);
    }

    /** The int8 layer's settings on {@code weights}. */
    static QuantizedFullyConnected.Builder quantized(PreparedWeights weights) {
        return QuantizedFullyConnected.builder(weights).input(INPUT_SCALE, INPUT_ZERO_POINT)
                .output(OUTPUT_SCALE, OUTPUT_ZERO_POINT);
    }

    /** The whole hybrid layer's output, {@code [batch × rows]}, from the reference twin. */
    float[] expectedHybrid() {
        float[] out = new float[shape.batch() * shape.rows()];
        ReferenceHybridFullyConnected.eval(floatInput, shape.batch(), shape.cols(), weights, shape.rows(), 0f, scales,
                bias, true, FusedActivation.NONE, out);
        return out;
    }

    /** The whole int8 layer's output, {@code [batch × rows]}, from the reference twin, in the default requantization. */
    byte[] expectedQuantized() {
        return expectedQuantized(Requantization.FIXED_POINT_DOUBLE_ROUNDING);
    }

    /** The whole int8 layer's output in {@code requantization}, from the reference twin. */
    byte[] expectedQuantized(Requantization requantization) {
        byte[] out = new byte[shape.batch() * shape.rows()];
        ReferenceQuantizedFullyConnected.eval(int8Input, shape.batch(), shape.cols(), INPUT_SCALE, INPUT_ZERO_POINT,
                weights, shape.rows(), 0f, scales, null, OUTPUT_SCALE, OUTPUT_ZERO_POINT, FusedActivation.NONE,
                requantization, out);
        return out;
    }
}
