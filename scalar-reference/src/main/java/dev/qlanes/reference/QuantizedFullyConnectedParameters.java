package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;
import java.util.Arrays;

/**
 * The integer parameters TFLite's FULLY_CONNECTED {@code Prepare} derives for the full-integer int8 path from
 * real scales and zero points (SEMANTICS.md §1.5, §1.6, §4.2): the offsets, one {@code (multiplier, shift)}
 * per tensor or per output channel, and the fused-activation clamp. Immutable.
 *
 * <ul>
 *   <li>Per tensor: {@code real = fl64((double) fl32(inputScale * filterScale) / (double) outputScale)}
 *       ({@link FullyConnectedQuantization#realMultiplier}), the scale product rounded to float first.</li>
 *   <li>Per channel: {@code real_c = (double) inputScale * (double) filterScale[c] / (double) outputScale}, all
 *       in double ({@link FullyConnectedQuantization#realMultiplierPerChannel}).</li>
 *   <li>{@code (multiplier, shift) = QuantizeMultiplier(real)} in the chosen {@link Rounding} build
 *       ({@link QuantizedMultiplier#of(double, Rounding)}).</li>
 *   <li>Clamp: {@link FullyConnectedQuantization#activationRange} for int8, {@code [-128, 127]}.</li>
 *   <li>Offsets as the kernels take them: {@code inputOffset = -inputZeroPoint}, {@code outputOffset =
 *       +outputZeroPoint}; weights are symmetric (zero point 0), as TFLite's int8 quantization spec requires.</li>
 * </ul>
 *
 * <p>Where TFLite's {@code Prepare} would compute garbage or undefined behaviour, construction fails instead, with
 * an {@link IllegalArgumentException} naming the argument: scales that are not finite and {@code > 0}, zero points
 * outside {@code [-128, 127]}, an effective scale that overflows or whose shift is outside {@code [-31, 30]} (only
 * possible in {@link Rounding#DOUBLE_ROUNDING}, which does not saturate, §1.5 step 6), and an output scale so small
 * that the activation clamp leaves the int8 range.
 */
public final class QuantizedFullyConnectedParameters {
    /** int8 bounds of input and output zero points and of the clamp. */
    private static final int INT8_MIN = -128;
    private static final int INT8_MAX = 127;

    private final int inputOffset;
    private final int outputOffset;
    private final int[] multipliers;
    private final int[] shifts;
    private final boolean perChannel;
    private final int activationMin;
    private final int activationMax;
    private final Rounding rounding;

    private QuantizedFullyConnectedParameters(int inputZeroPoint, int outputZeroPoint, int[] multipliers,
            int[] shifts, boolean perChannel, FullyConnectedQuantization.ActivationRange range, Rounding rounding) {
        this.inputOffset = -inputZeroPoint;
        this.outputOffset = outputZeroPoint;
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.perChannel = perChannel;
        this.activationMin = range.min();
        this.activationMax = range.max();
        this.rounding = rounding;
    }

    /**
     * Parameters of a layer whose weights have one scale.
     *
     * @param inputScale      finite, {@code > 0}
     * @param inputZeroPoint  in {@code [-128, 127]}
     * @param filterScale     finite, {@code > 0}
     * @param outputScale     finite, {@code > 0}
     * @param outputZeroPoint in {@code [-128, 127]}
     * @throws IllegalArgumentException for the cases listed on the class
     * @throws NullPointerException if {@code activation} or {@code rounding} is null
     */
    public static QuantizedFullyConnectedParameters perTensor(float inputScale, int inputZeroPoint, float filterScale,
            float outputScale, int outputZeroPoint, FusedActivation activation, Rounding rounding) {
        validateCommon(inputScale, inputZeroPoint, outputScale, outputZeroPoint, activation, rounding);
        positiveFinite("filterScale", filterScale);
        double real = FullyConnectedQuantization.realMultiplier(inputScale, filterScale, outputScale);
        QuantizedMultiplier q = quantize(real, rounding, "fl32(inputScale * filterScale) / outputScale");
        return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, new int[] {q.multiplier()},
                new int[] {q.shift()}, false, range(activation, outputScale, outputZeroPoint), rounding);
    }

    /**
     * Parameters of a layer whose weights have one scale per output channel ({@code filterScales.length} channels;
     * the array is copied).
     *
     * @param filterScales each finite and {@code > 0}
     * @throws IllegalArgumentException for the cases listed on the class, naming the channel
     * @throws NullPointerException if {@code filterScales}, {@code activation} or {@code rounding} is null
     */
    public static QuantizedFullyConnectedParameters perChannel(float inputScale, int inputZeroPoint,
            float[] filterScales, float outputScale, int outputZeroPoint, FusedActivation activation,
            Rounding rounding) {
        Check.notNull("filterScales", filterScales);
        validateCommon(inputScale, inputZeroPoint, outputScale, outputZeroPoint, activation, rounding);
        float[] scales = filterScales.clone();
        int[] multipliers = new int[scales.length];
        int[] shifts = new int[scales.length];
        for (int c = 0; c < scales.length; c++) {
            positiveFinite("filterScales[" + c + "]", scales[c]);
            double real = FullyConnectedQuantization.realMultiplierPerChannel(inputScale, scales[c], outputScale);
            QuantizedMultiplier q = quantize(real, rounding,
                    "inputScale * filterScales[" + c + "] / outputScale");
            multipliers[c] = q.multiplier();
            shifts[c] = q.shift();
        }
        return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, multipliers, shifts, true,
                range(activation, outputScale, outputZeroPoint), rounding);
    }

    private static void validateCommon(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
            FusedActivation activation, Rounding rounding) {
        Check.notNull("activation", activation);
        Check.notNull("rounding", rounding);
        positiveFinite("inputScale", inputScale);
        positiveFinite("outputScale", outputScale);
        Check.inRange("inputZeroPoint", inputZeroPoint, INT8_MIN, INT8_MAX);
        Check.inRange("outputZeroPoint", outputZeroPoint, INT8_MIN, INT8_MAX);
    }

    /** Requires a finite scale {@code > 0}, the only kind TFLite's quantization spec defines. */
    static void positiveFinite(String name, float scale) {
        if (!(scale > 0.0f) || scale == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " = " + scale + ", expected a finite value > 0");
        }
    }

    private static QuantizedMultiplier quantize(double real, Rounding rounding, String formula) {
        if (!Double.isFinite(real)) {
            throw new IllegalArgumentException("effective scale " + formula + " = " + real + ", expected finite");
        }
        QuantizedMultiplier q = QuantizedMultiplier.of(real, rounding);
        if (q.shift() < FixedPoint.MIN_SHIFT || q.shift() > FixedPoint.MAX_SHIFT) {
            throw new IllegalArgumentException("effective scale " + formula + " = " + real + " gives shift "
                    + q.shift() + ", expected in [" + FixedPoint.MIN_SHIFT + ", " + FixedPoint.MAX_SHIFT
                    + "] (use SINGLE_ROUNDING, which saturates, or smaller scales)");
        }
        return q;
    }

    private static FullyConnectedQuantization.ActivationRange range(FusedActivation activation, float outputScale,
            int outputZeroPoint) {
        FullyConnectedQuantization.ActivationRange range =
                FullyConnectedQuantization.activationRange(activation, outputScale, outputZeroPoint, INT8_MIN, INT8_MAX);
        try {
            Validate.int8ActivationRange("activationMin", range.min(), "activationMax", range.max());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outputScale = " + outputScale + " and outputZeroPoint = "
                    + outputZeroPoint + " give the " + activation + " clamp [" + range.min() + ", " + range.max()
                    + "], expected within [-128, 127]", e);
        }
        return range;
    }

    /** {@code -inputZeroPoint}, TFLite's {@code input_offset}. */
    public int inputOffset() {
        return inputOffset;
    }

    /** {@code outputZeroPoint}, TFLite's {@code output_offset}. */
    public int outputOffset() {
        return outputOffset;
    }

    /** Whether there is one multiplier per output channel. */
    public boolean perChannel() {
        return perChannel;
    }

    /** Number of multipliers: 1 per tensor, the number of output channels per channel. */
    public int channels() {
        return multipliers.length;
    }

    /** The Q0.31 multiplier of {@code channel} (0 when per tensor). */
    public int multiplier(int channel) {
        return multipliers[channel];
    }

    /** The shift of {@code channel} (0 when per tensor), in {@code [-31, 30]}. */
    public int shift(int channel) {
        return shifts[channel];
    }

    /** A copy of all multipliers, one per channel (one element per tensor). */
    public int[] multipliers() {
        return multipliers.clone();
    }

    /** A copy of all shifts, one per channel (one element per tensor). */
    public int[] shifts() {
        return shifts.clone();
    }

    /** Lower bound of the fused-activation clamp, in {@code [-128, 127]}. */
    public int activationMin() {
        return activationMin;
    }

    /** Upper bound of the fused-activation clamp, in {@code [activationMin, 127]}. */
    public int activationMax() {
        return activationMax;
    }

    /** The build mode the multipliers were derived for and are applied in. */
    public Rounding rounding() {
        return rounding;
    }

    /** The offsets, clamp, rounding, and the multipliers (the first {@value #SHOWN_CHANNELS} when per channel). */
    @Override
    public String toString() {
        String channels = perChannel ? ", perChannel(" + multipliers.length + "): " + first(multipliers) + " / "
                + first(shifts) : ", perTensor: multiplier " + multipliers[0] + ", shift " + shifts[0];
        return "QuantizedFullyConnectedParameters[inputOffset=" + inputOffset + ", outputOffset=" + outputOffset
                + channels + ", clamp=[" + activationMin + ", " + activationMax + "], " + rounding + "]";
    }

    /** Channels listed by {@link #toString()}. */
    private static final int SHOWN_CHANNELS = 4;

    private static String first(int[] values) {
        String shown = Arrays.toString(Arrays.copyOf(values, Math.min(values.length, SHOWN_CHANNELS)));
        return values.length > SHOWN_CHANNELS ? shown.substring(0, shown.length() - 1) + ", ...]" : shown;
    }
}
