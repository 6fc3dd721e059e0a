package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;
import java.util.Arrays;

/**
 * The parameters TFLite's FULLY_CONNECTED derives for the full-integer int8 path from real scales and zero points
 * (docs/semantics.md §1.5, §1.6, §4.2), for one {@link Requantization}: the offsets, the requantization's multipliers
 * (one per tensor or per output channel), and the fused-activation clamp. Immutable.
 *
 * <ul>
 *   <li>Fixed point ({@link Requantization#isFixedPoint()}), as {@code Prepare} derives it: per tensor
 *       {@code real = fl64((double) fl32(inputScale * filterScale) / (double) outputScale)}
 *       ({@link FullyConnectedQuantization#realMultiplier}), the scale product rounded to float first; per channel
 *       {@code real_c = (double) inputScale * (double) filterScale[c] / (double) outputScale}, all in double
 *       ({@link FullyConnectedQuantization#realMultiplierPerChannel}); then
 *       {@code (multiplier, shift) = QuantizeMultiplier(real)} in the requantization's {@link Rounding} build
 *       ({@link QuantizedMultiplier#of(double, Rounding)}): {@link #multiplier(int)}, {@link #shift(int)}.</li>
 *   <li>{@link Requantization#DOUBLE_FLOAT}, as the float-requantizing reference kernel derives it: per tensor and
 *       per channel alike {@code eff_c = (double) inputScale * (double) filterScale[c] / (double) outputScale}
 *       ({@link FullyConnectedQuantization#effectiveScale}): {@link #effectiveScale(int)}.</li>
 *   <li>Clamp: {@link FullyConnectedQuantization#activationRange} for int8, {@code [-128, 127]}.</li>
 *   <li>Offsets as the kernels take them: {@code inputOffset = -inputZeroPoint}, {@code outputOffset =
 *       +outputZeroPoint}; weights are symmetric (zero point 0), as TFLite's int8 quantization spec requires.</li>
 * </ul>
 *
 * <p>Where TFLite's {@code Prepare} would compute garbage or undefined behaviour, construction fails instead, with
 * an {@link IllegalArgumentException} naming the argument: scales that are not finite and {@code > 0}, zero points
 * outside {@code [-128, 127]}, a fixed-point effective scale that overflows or whose shift is outside
 * {@code [-31, 30]} (only possible in {@link Rounding#DOUBLE_ROUNDING}, which does not saturate, §1.5 step 6), and
 * an output scale so small that the activation clamp leaves the int8 range. {@link Requantization#DOUBLE_FLOAT} has
 * no shift, so it accepts every scale: {@code eff} is then always finite and {@code > 0}.
 */
public final class QuantizedFullyConnectedParameters {
    /** int8 bounds of input and output zero points and of the clamp. */
    private static final int INT8_MIN = -128;
    private static final int INT8_MAX = 127;

    private final int inputOffset;
    private final int outputOffset;
    /** Fixed point only, else null. */
    private final int[] multipliers;
    /** Fixed point only, else null. */
    private final int[] shifts;
    /** {@link Requantization#DOUBLE_FLOAT} only, else null. */
    private final double[] effectiveScales;
    private final boolean perChannel;
    private final int activationMin;
    private final int activationMax;
    private final Requantization requantization;

    private QuantizedFullyConnectedParameters(int inputZeroPoint, int outputZeroPoint, int[] multipliers,
            int[] shifts, double[] effectiveScales, boolean perChannel, FullyConnectedQuantization.ActivationRange range,
            Requantization requantization) {
        this.inputOffset = -inputZeroPoint;
        this.outputOffset = outputZeroPoint;
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.effectiveScales = effectiveScales;
        this.perChannel = perChannel;
        this.activationMin = range.min();
        this.activationMax = range.max();
        this.requantization = requantization;
    }

    /**
     * Fixed-point parameters of a layer whose weights have one scale: {@link #perTensor(float, int, float, float,
     * int, FusedActivation, Requantization)} with {@link Requantization#fixedPoint(Rounding)}.
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
        return perTensor(inputScale, inputZeroPoint, filterScale, outputScale, outputZeroPoint, activation,
                Requantization.fixedPoint(rounding));
    }

    /**
     * Parameters of a layer whose weights have one scale, for {@code requantization}.
     *
     * @param inputScale      finite, {@code > 0}
     * @param inputZeroPoint  in {@code [-128, 127]}
     * @param filterScale     finite, {@code > 0}
     * @param outputScale     finite, {@code > 0}
     * @param outputZeroPoint in {@code [-128, 127]}
     * @throws IllegalArgumentException for the cases listed on the class
     * @throws NullPointerException if {@code activation} or {@code requantization} is null
     */
    public static QuantizedFullyConnectedParameters perTensor(float inputScale, int inputZeroPoint, float filterScale,
            float outputScale, int outputZeroPoint, FusedActivation activation, Requantization requantization) {
        validateCommon(inputScale, inputZeroPoint, outputScale, outputZeroPoint, activation, requantization);
        positiveFinite("filterScale", filterScale);
        FullyConnectedQuantization.ActivationRange range = range(activation, outputScale, outputZeroPoint);
        if (!requantization.isFixedPoint()) {
            double eff = effectiveScale(inputScale, filterScale, outputScale, "inputScale * filterScale / outputScale");
            return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, null, null,
                    new double[] {eff}, false, range, requantization);
        }
        double real = FullyConnectedQuantization.realMultiplier(inputScale, filterScale, outputScale);
        QuantizedMultiplier q = quantize(real, requantization.rounding(),
                "fl32(inputScale * filterScale) / outputScale");
        return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, new int[] {q.multiplier()},
                new int[] {q.shift()}, null, false, range, requantization);
    }

    /**
     * Fixed-point parameters of a layer whose weights have one scale per output channel:
     * {@link #perChannel(float, int, float[], float, int, FusedActivation, Requantization)} with
     * {@link Requantization#fixedPoint(Rounding)}.
     *
     * @param filterScales each finite and {@code > 0}
     * @throws IllegalArgumentException for the cases listed on the class, naming the channel
     * @throws NullPointerException if {@code filterScales}, {@code activation} or {@code rounding} is null
     */
    public static QuantizedFullyConnectedParameters perChannel(float inputScale, int inputZeroPoint,
            float[] filterScales, float outputScale, int outputZeroPoint, FusedActivation activation,
            Rounding rounding) {
        Check.notNull("filterScales", filterScales);
        return perChannel(inputScale, inputZeroPoint, filterScales, outputScale, outputZeroPoint, activation,
                Requantization.fixedPoint(rounding));
    }

    /**
     * Parameters of a layer whose weights have one scale per output channel ({@code filterScales.length} channels;
     * the array is copied), for {@code requantization}.
     *
     * @param filterScales each finite and {@code > 0}
     * @throws IllegalArgumentException for the cases listed on the class, naming the channel
     * @throws NullPointerException if {@code filterScales}, {@code activation} or {@code requantization} is null
     */
    public static QuantizedFullyConnectedParameters perChannel(float inputScale, int inputZeroPoint,
            float[] filterScales, float outputScale, int outputZeroPoint, FusedActivation activation,
            Requantization requantization) {
        Check.notNull("filterScales", filterScales);
        validateCommon(inputScale, inputZeroPoint, outputScale, outputZeroPoint, activation, requantization);
        float[] scales = filterScales.clone();
        for (int c = 0; c < scales.length; c++) {
            positiveFinite("filterScales[" + c + "]", scales[c]);
        }
        FullyConnectedQuantization.ActivationRange range = range(activation, outputScale, outputZeroPoint);
        if (!requantization.isFixedPoint()) {
            double[] effectiveScales = new double[scales.length];
            for (int c = 0; c < scales.length; c++) {
                effectiveScales[c] = effectiveScale(inputScale, scales[c], outputScale,
                        "inputScale * filterScales[" + c + "] / outputScale");
            }
            return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, null, null, effectiveScales,
                    true, range, requantization);
        }
        int[] multipliers = new int[scales.length];
        int[] shifts = new int[scales.length];
        for (int c = 0; c < scales.length; c++) {
            double real = FullyConnectedQuantization.realMultiplierPerChannel(inputScale, scales[c], outputScale);
            QuantizedMultiplier q = quantize(real, requantization.rounding(),
                    "inputScale * filterScales[" + c + "] / outputScale");
            multipliers[c] = q.multiplier();
            shifts[c] = q.shift();
        }
        return new QuantizedFullyConnectedParameters(inputZeroPoint, outputZeroPoint, multipliers, shifts, null, true,
                range, requantization);
    }

    private static void validateCommon(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
            FusedActivation activation, Requantization requantization) {
        Check.notNull("activation", activation);
        Check.notNull("requantization", requantization);
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

    /** The float requantization's scale; finite and {@code > 0} for any valid scales (asserted, not assumed). */
    private static double effectiveScale(float inputScale, float filterScale, float outputScale, String formula) {
        double eff = FullyConnectedQuantization.effectiveScale(inputScale, filterScale, outputScale);
        if (!Double.isFinite(eff) || !(eff > 0.0)) {
            throw new IllegalArgumentException("effective scale " + formula + " = " + eff + ", expected finite and > 0");
        }
        return eff;
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

    /** Number of multipliers (or effective scales): 1 per tensor, the number of output channels per channel. */
    public int channels() {
        return requantization.isFixedPoint() ? multipliers.length : effectiveScales.length;
    }

    /**
     * The Q0.31 multiplier of {@code channel} (0 when per tensor).
     *
     * @throws IllegalStateException for {@link Requantization#DOUBLE_FLOAT}, which has no fixed-point multiplier
     */
    public int multiplier(int channel) {
        return fixedPoint("multiplier")[channel];
    }

    /**
     * The shift of {@code channel} (0 when per tensor), in {@code [-31, 30]}.
     *
     * @throws IllegalStateException for {@link Requantization#DOUBLE_FLOAT}
     */
    public int shift(int channel) {
        fixedPoint("shift");
        return shifts[channel];
    }

    /**
     * A copy of all multipliers, one per channel (one element per tensor).
     *
     * @throws IllegalStateException for {@link Requantization#DOUBLE_FLOAT}
     */
    public int[] multipliers() {
        return fixedPoint("multipliers").clone();
    }

    /**
     * A copy of all shifts, one per channel (one element per tensor).
     *
     * @throws IllegalStateException for {@link Requantization#DOUBLE_FLOAT}
     */
    public int[] shifts() {
        fixedPoint("shifts");
        return shifts.clone();
    }

    private int[] fixedPoint(String what) {
        if (!requantization.isFixedPoint()) {
            throw new IllegalStateException(requantization + " parameters have no " + what
                    + "; they have effective scales (effectiveScale(int))");
        }
        return multipliers;
    }

    /**
     * The double {@code eff} of {@code channel} (0 when per tensor) that {@link Requantization#DOUBLE_FLOAT}
     * multiplies the accumulator by: {@link FullyConnectedQuantization#effectiveScale}, finite and {@code > 0}.
     *
     * @throws IllegalStateException for a fixed-point requantization, which has multipliers and shifts instead
     */
    public double effectiveScale(int channel) {
        return doubleFloat()[channel];
    }

    /**
     * A copy of all effective scales, one per channel (one element per tensor).
     *
     * @throws IllegalStateException for a fixed-point requantization
     */
    public double[] effectiveScales() {
        return doubleFloat().clone();
    }

    private double[] doubleFloat() {
        if (requantization.isFixedPoint()) {
            throw new IllegalStateException(requantization + " parameters have no effective scales; they have "
                    + "fixed-point multipliers and shifts (multiplier(int), shift(int))");
        }
        return effectiveScales;
    }

    /** Lower bound of the fused-activation clamp, in {@code [-128, 127]}. */
    public int activationMin() {
        return activationMin;
    }

    /** Upper bound of the fused-activation clamp, in {@code [activationMin, 127]}. */
    public int activationMax() {
        return activationMax;
    }

    /** How the accumulators are requantized. */
    public Requantization requantization() {
        return requantization;
    }

    /**
     * The build mode the fixed-point multipliers were derived for and are applied in.
     *
     * @throws IllegalStateException for {@link Requantization#DOUBLE_FLOAT}, which has no fixed-point rounding
     */
    public Rounding rounding() {
        return requantization.rounding();
    }

    /**
     * The offsets, clamp, requantization, and the multipliers or effective scales (the first
     * {@value #SHOWN_CHANNELS} when per channel).
     */
    @Override
    public String toString() {
        String channels;
        if (requantization.isFixedPoint()) {
            channels = perChannel ? ", perChannel(" + multipliers.length + "): " + first(multipliers) + " / "
                    + first(shifts) : ", perTensor: multiplier " + multipliers[0] + ", shift " + shifts[0];
        } else {
            channels = perChannel ? ", perChannel(" + effectiveScales.length + "): effective scales "
                    + first(effectiveScales) : ", perTensor: effective scale " + effectiveScales[0];
        }
        return "QuantizedFullyConnectedParameters[inputOffset=" + inputOffset + ", outputOffset=" + outputOffset
                + channels + ", clamp=[" + activationMin + ", " + activationMax + "], " + requantization + "]";
    }

    /** Channels listed by {@link #toString()}. */
    private static final int SHOWN_CHANNELS = 4;

    private static String first(int[] values) {
        return shown(Arrays.toString(Arrays.copyOf(values, Math.min(values.length, SHOWN_CHANNELS))), values.length);
    }

    private static String first(double[] values) {
        return shown(Arrays.toString(Arrays.copyOf(values, Math.min(values.length, SHOWN_CHANNELS))), values.length);
    }

    private static String shown(String shown, int length) {
        return length > SHOWN_CHANNELS ? shown.substring(0, shown.length() - 1) + ", ...]" : shown;
    }
}
