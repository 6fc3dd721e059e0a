package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_MASK_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INT_GROUPS;
import static dev.qlanes.internal.vector.VectorShapes.LONGS;
import static dev.qlanes.internal.vector.VectorShapes.LONGS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.MASKED_TAILS;
import static dev.qlanes.internal.vector.VectorShapes.firstBytes;

import dev.qlanes.reference.Rounding;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The output stage of the full-integer kernels, across a batch row's outputs:
 * {@code out[i] = clamp(MBQM(acc[i], M_i, s_i) + zp [+ out[i]], min, max)} (docs/semantics.md §3.6–§3.8), with
 * per-tensor or per-channel multipliers: {@link #requantizeInPlace}, then {@link #toInt8}, {@link #toInt8Accumulate}
 * or {@link #toInt16Accumulate} (the facade), or {@link #requantizeToInt8} in one pass (the layers). Everything is
 * passed as primitives and arrays: a parameter object here was not scalar-replaced and cost an allocation per call.
 *
 * <p>The lane arithmetic is {@code FixedPoint}'s (SRDHM then RDBPOT, or the single-rounding product), written
 * out in one loop body per rounding and tested lane by lane against it ({@code RequantizerLaneTest}): a vector that
 * crosses a call C2 declines to inline is boxed, and the requantization's many vector operations made C2 decline
 * often enough to allocate tens of kilobytes per call. Even three-line helpers for the 64-bit lanes below boxed the
 * facade's MBVMA (3,744 bytes per call at 512 bits), so there are none. The 64-bit products are made in place: the
 * int vector read as longs holds lane pairs, the even lane sign-extended by a shift pair and the odd one by one
 * shift, and the results are put back with a shift and an or. {@code convert(I2L, 1)} and {@code convert(L2I, -1)},
 * which this replaced, build their lane moves from an iota shuffle at every step; a probe of 64 per-channel outputs
 * at 512 bits went from 60 to 47 ns, and 8 outputs from 25 to 23 ns (Zen 4). Clamping, the optional previous output
 * and narrowing to int8 ({@link #toInt8}, {@link #toInt8Accumulate}) are a second lane pass: as a scalar loop (which
 * C2 does not vectorize) it cost 1.0–1.5 ns per output, more than the requantization and 3–4% of a whole 1024×1024
 * full-integer MBVMA at batch 1 and 16, the largest share of the full-integer form's extra work over the hybrid one.
 */
final class IntegerRequantizer {
    private IntegerRequantizer() {}

    /** {@code 2^30}, SRDHM's rounding term. */
    private static final long SRDHM_ROUND = 1L << 30;
    /** The low 32 bits of a long: an even int lane of a pair. */
    private static final long LOW_HALF = 0xFFFF_FFFFL;

    /**
     * {@code acc[off + i] = MBQM(acc[off + i] + bias[biasOff + i], M_c, s_c) + zeroPoint} for {@code i < n}, in place
     * (wrapping), with {@code c = channel0 + i}: {@code M_c = multipliers[c]} when {@code multipliers} is non-null,
     * else {@code multiplier}; likewise the shift; no bias when {@code bias} is null. Shared by the facade and the
     * layer kernels; the bias is added here, in the same lanes, because a separate scalar pass cost the 8-unit int8
     * layer ~4 ns of its ~115 (Zen 4).
     *
     * <p>Each rounding has a loop of its own ({@link #doubleRoundingSteps}, {@link #singleRoundingSteps}), compiled
     * on its own profile. As two branches of one loop, a JVM that had requantized in one rounding and then met the
     * other recompiled the loop with the new branch still cold; C2 then could not resolve the vector types in the
     * other branch's {@code convert(L2I, -1)} at parse time, the intrinsic failed, and every double-rounding step
     * boxed its vectors from then on (64 bytes per 4 outputs at 128 bits, about one run in three of
     * {@code TensorUtilsAllocationTest} on a Zen 4; seen with {@code -XX:+PrintInlining}).
     */
    static void requantizeInPlace(int[] acc, int off, int n, int[] bias, int biasOff, int multiplier, int shift,
            int[] multipliers, int[] shifts, int channel0, Rounding rounding, int zeroPoint) {
        requantizeToInt8(acc, off, n, bias, biasOff, multiplier, shift, multipliers, shifts, channel0, rounding,
                zeroPoint, 0, 0, null, 0);
    }

    /**
     * {@link #requantizeInPlace}, then clamped to {@code [min, max]} and narrowed into {@code out[outOff + i]} in the
     * same lanes, leaving {@code acc} as it was: the layers' output stage. With {@code out} null the results go back
     * into {@code acc} unclamped instead, which is {@link #requantizeInPlace}. One pass instead of a masked store and
     * reload between the requantization and the clamp saved the 8-unit int8 layer ~6 ns of its ~108 (Zen 4); the
     * rounding loops take the branch on {@code out} once per vector.
     */
    static void requantizeToInt8(int[] acc, int off, int n, int[] bias, int biasOff, int multiplier, int shift,
            int[] multipliers, int[] shifts, int channel0, Rounding rounding, int zeroPoint, int min, int max,
            byte[] out, int outOff) {
        if (rounding == Rounding.SINGLE_ROUNDING) {
            singleRoundingSteps(acc, off, n, bias, biasOff, multiplier, shift, multipliers, shifts, channel0,
                    zeroPoint, min, max, out, outOff);
        } else {
            doubleRoundingSteps(acc, off, n, bias, biasOff, multiplier, shift, multipliers, shifts, channel0,
                    zeroPoint, min, max, out, outOff);
        }
    }

    /**
     * {@link #requantizeInPlace} in {@code DOUBLE_ROUNDING}, the last vector masked: with a scalar tail, the 8 outputs
     * of a small layer's call took ~47 ns, a third of the call (perf, 8x128 int8 layer, Zen 4). {@code FixedPoint}:
     * {@code RDBPOT(SRDHM(x · 2^left, M), right)}, the left shift wrapping like C++ int32.
     */
    private static void doubleRoundingSteps(int[] acc, int off, int n, int[] bias, int biasOff, int multiplier,
            int shift, int[] multipliers, int[] shifts, int channel0, int zeroPoint, int min, int max, byte[] out,
            int outOff) {
        IntVector tensorMultiplier = IntVector.broadcast(INTS, multiplier);
        IntVector tensorShift = IntVector.broadcast(INTS, shift);
        IntVector zero = IntVector.zero(INTS);
        IntVector one = IntVector.broadcast(INTS, 1);
        for (int i = 0; i < n; i += INTS.length()) {
            VectorMask<Integer> live = INTS.indexInRange(i, n); // a partial last vector: a small layer's whole output
            IntVector loaded = IntVector.fromArray(INTS, acc, off + i, live);
            IntVector x = loaded;
            if (bias != null) {
                x = x.add(IntVector.fromArray(INTS, bias, biasOff + i, live));
            }
            // values merged by a branch, loop invariants and reinterpreted values cast to their exact classes
            // before C2 binds a call on them: see VectorShapes.INTS_CLASS
            x = INTS_CLASS.cast(x);
            IntVector m = INTS_CLASS.cast(multipliers != null ? IntVector.fromArray(INTS, multipliers, channel0 + i, live)
                    : tensorMultiplier);
            IntVector s = INTS_CLASS.cast(shifts != null ? IntVector.fromArray(INTS, shifts, channel0 + i, live)
                    : tensorShift);
            IntVector right = INTS_CLASS.cast(s.neg().max(zero)); // a shift count: cast (VectorShapes.INTS_CLASS)
            IntVector xl = x.lanewise(VectorOperators.LSHL, INTS_CLASS.cast(s.max(zero)));
            // int lanes in pairs, read as longs: even lanes are the low halves (sign-extended by the shift pair), odd
            // lanes the high halves; products and results stay in place, with no cross-lane conversion
            LongVector xl64 = LONGS_CLASS.cast(INTS_CLASS.cast(xl).reinterpretAsLongs());
            LongVector m64 = LONGS_CLASS.cast(INTS_CLASS.cast(m).reinterpretAsLongs());
            // only the low 32 bits of each shifted product are kept, and those are the same whether the shift by 31
            // fills with the sign or with zeros: the logical shift is one instruction on AVX2, which has no 64-bit
            // arithmetic shift (C2 emulates one with five)
            LongVector even = xl64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                    .mul(m64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32))
                    .add(SRDHM_ROUND).lanewise(VectorOperators.LSHR, 31);
            LongVector odd = xl64.lanewise(VectorOperators.ASHR, 32).mul(m64.lanewise(VectorOperators.ASHR, 32))
                    .add(SRDHM_ROUND).lanewise(VectorOperators.LSHR, 31);
            IntVector high = INTS_CLASS.cast(LONGS_CLASS.cast(odd.lanewise(VectorOperators.LSHL, 32)
                    .or(even.and(LOW_HALF))).reinterpretAsInts())
                    .blend(Integer.MAX_VALUE, xl.eq(Integer.MIN_VALUE).and(m.eq(Integer.MIN_VALUE)));
            IntVector mask = INTS_CLASS.cast(one).lanewise(VectorOperators.LSHL, right).sub(1);
            IntVector threshold = mask.lanewise(VectorOperators.ASHR, 1).add(high.lanewise(VectorOperators.LSHR, 31));
            VectorMask<Integer> roundUp = high.and(mask).compare(VectorOperators.GT, threshold);
            IntVector y = high.lanewise(VectorOperators.ASHR, right).add(one, roundUp).add(zeroPoint);
            if (out == null) {
                y.intoArray(acc, off + i, live);
            } else { // written out in both loops: a vector passed to a call C2 did not inline would be boxed
                IntVector clamped = y.max(min).min(max);
                if (n - i >= BYTES_FOR_INTS.length()) { // no masked byte store: see VectorLayerKernels.clampToInt8
                    BYTES_FOR_INTS_CLASS.cast(
                            INTS_CLASS.cast(clamped).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0))
                            .intoArray(out, outOff + i);
                } else if (MASKED_TAILS) { // one masked byte store (see the class comment)
                    BYTES_FOR_INTS_CLASS.cast(
                            INTS_CLASS.cast(clamped).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0))
                            .intoArray(out, outOff + i, BYTES_FOR_INTS_MASK_CLASS.cast(firstBytes(n - i)));
                } else { // a partial last vector: through acc's own lanes, narrowed one by one, then acc restored
                    clamped.intoArray(acc, off + i, live);
                    for (int j = 0, lanes = Math.min(INTS.length(), n - i); j < lanes; j++) {
                        out[outOff + i + j] = (byte) acc[off + i + j];
                    }
                    loaded.intoArray(acc, off + i, live);
                }
            }
        }
    }

    /**
     * {@link #requantizeInPlace} in {@code SINGLE_ROUNDING}, the last vector masked. {@code FixedPoint}:
     * {@code (x·M + 2^(T-1)) >> T}, {@code T = 31 - shift}, in 64 bits.
     */
    private static void singleRoundingSteps(int[] acc, int off, int n, int[] bias, int biasOff, int multiplier,
            int shift, int[] multipliers, int[] shifts, int channel0, int zeroPoint, int min, int max, byte[] out,
            int outOff) {
        IntVector tensorMultiplier = IntVector.broadcast(INTS, multiplier);
        IntVector tensorShift = IntVector.broadcast(INTS, shift);
        IntVector thirtyOne = IntVector.broadcast(INTS, 31);
        LongVector one = LongVector.broadcast(LONGS, 1L);
        for (int i = 0; i < n; i += INTS.length()) {
            VectorMask<Integer> live = INTS.indexInRange(i, n); // a partial last vector: a small layer's whole output
            IntVector loaded = IntVector.fromArray(INTS, acc, off + i, live);
            IntVector x = loaded;
            if (bias != null) {
                x = x.add(IntVector.fromArray(INTS, bias, biasOff + i, live));
            }
            // values merged by a branch, loop invariants and reinterpreted values cast to their exact classes
            // before C2 binds a call on them: see VectorShapes.INTS_CLASS
            x = INTS_CLASS.cast(x);
            IntVector m = INTS_CLASS.cast(multipliers != null ? IntVector.fromArray(INTS, multipliers, channel0 + i, live)
                    : tensorMultiplier);
            IntVector s = INTS_CLASS.cast(shifts != null ? IntVector.fromArray(INTS, shifts, channel0 + i, live)
                    : tensorShift);
            LongVector total =
                    LONGS_CLASS.cast(INTS_CLASS.cast(INTS_CLASS.cast(thirtyOne).sub(s)).reinterpretAsLongs());
            LongVector x64 = LONGS_CLASS.cast(INTS_CLASS.cast(x).reinterpretAsLongs());
            LongVector m64 = LONGS_CLASS.cast(INTS_CLASS.cast(m).reinterpretAsLongs());
            // shift counts: cast (VectorShapes.INTS_CLASS); T > 0, so zero-extending it is sign-extending it
            LongVector evenTotal = LONGS_CLASS.cast(total.and(LOW_HALF));
            LongVector oddTotal = LONGS_CLASS.cast(total.lanewise(VectorOperators.ASHR, 32));
            LongVector even = x64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                    .mul(m64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32))
                    .add(LONGS_CLASS.cast(one).lanewise(VectorOperators.LSHL, LONGS_CLASS.cast(evenTotal.sub(1))))
                    .lanewise(VectorOperators.ASHR, evenTotal);
            LongVector odd = x64.lanewise(VectorOperators.ASHR, 32).mul(m64.lanewise(VectorOperators.ASHR, 32))
                    .add(LONGS_CLASS.cast(one).lanewise(VectorOperators.LSHL, LONGS_CLASS.cast(oddTotal.sub(1))))
                    .lanewise(VectorOperators.ASHR, oddTotal);
            IntVector y = INTS_CLASS.cast(LONGS_CLASS.cast(odd.lanewise(VectorOperators.LSHL, 32)
                    .or(even.and(LOW_HALF))).reinterpretAsInts()).add(zeroPoint);
            if (out == null) {
                y.intoArray(acc, off + i, live);
            } else { // written out in both loops: a vector passed to a call C2 did not inline would be boxed
                IntVector clamped = y.max(min).min(max);
                if (n - i >= BYTES_FOR_INTS.length()) { // no masked byte store: see VectorLayerKernels.clampToInt8
                    BYTES_FOR_INTS_CLASS.cast(
                            INTS_CLASS.cast(clamped).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0))
                            .intoArray(out, outOff + i);
                } else if (MASKED_TAILS) { // one masked byte store (see the class comment)
                    BYTES_FOR_INTS_CLASS.cast(
                            INTS_CLASS.cast(clamped).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0))
                            .intoArray(out, outOff + i, BYTES_FOR_INTS_MASK_CLASS.cast(firstBytes(n - i)));
                } else { // a partial last vector: through acc's own lanes, narrowed one by one, then acc restored
                    clamped.intoArray(acc, off + i, live);
                    for (int j = 0, lanes = Math.min(INTS.length(), n - i); j < lanes; j++) {
                        out[outOff + i + j] = (byte) acc[off + i + j];
                    }
                    loaded.intoArray(acc, off + i, live);
                }
            }
        }
    }

    /**
     * Clamps requantized values to {@code [min, max]} and narrows them to int8: {@code acc[accOff + i]} →
     * {@code out[outOff + i]} for {@code i < n}, overwriting the output.
     */
    static void toInt8(int[] acc, int accOff, int n, int min, int max, byte[] out, int outOff) {
        int i = 0;
        for (int bound = BYTES_FOR_INTS.loopBound(n); i < bound; i += IntLanes.STEP) {
            // int lanes narrowed into group 0 (and 1 at 128 bits) of the byte vector, written out here: see IntLanes
            ByteVector bytes = BYTES_FOR_INTS_CLASS.cast(INTS_CLASS.cast(IntVector.fromArray(INTS, acc, accOff + i)
                    .max(min).min(max)).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0));
            if (INT_GROUPS == 2) { // 128 bits: a byte vector holds two int vectors' worth (a constant: C2 folds it)
                bytes = bytes.or(INTS_CLASS.cast(IntVector.fromArray(INTS, acc, accOff + i + INTS.length()).max(min)
                        .min(max)).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, -1));
            }
            BYTES_FOR_INTS_CLASS.cast(bytes).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (byte) Math.min(max, Math.max(min, acc[accOff + i]));
        }
    }

    /**
     * int8 outputs, accumulating (§3.6): {@code out[i] = clamp(acc[i] + out[i], -128, 127)} for requantized
     * {@code acc}, {@code i < n} (from {@code accOff}, {@code outOff}). A method of its own rather than a flag of
     * {@link #toInt8}: with both loops in one method, the 128-bit form passed C2's node-count cutoff for inlining,
     * and the second loop's vectors were boxed (2.2 KB per 200 outputs) once a JVM had used both.
     */
    static void toInt8Accumulate(int[] acc, int accOff, int n, byte[] out, int outOff) {
        int i = 0;
        for (int bound = BYTES_FOR_INTS.loopBound(n); i < bound; i += IntLanes.STEP) {
            ByteVector previous = ByteVector.fromArray(BYTES_FOR_INTS, out, outOff + i);
            ByteVector bytes = BYTES_FOR_INTS_CLASS.cast(INTS_CLASS.cast(IntVector.fromArray(INTS, acc, accOff + i)
                    .add(BYTES_FOR_INTS_CLASS.cast(previous).convertShape(VectorOperators.B2I, INTS, 0))
                    .max(Byte.MIN_VALUE).min(Byte.MAX_VALUE)).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0));
            if (INT_GROUPS == 2) {
                bytes = bytes.or(INTS_CLASS.cast(IntVector.fromArray(INTS, acc, accOff + i + INTS.length())
                        .add(BYTES_FOR_INTS_CLASS.cast(previous).convertShape(VectorOperators.B2I, INTS, 1))
                        .max(Byte.MIN_VALUE).min(Byte.MAX_VALUE))
                        .convertShape(VectorOperators.I2B, BYTES_FOR_INTS, -1));
            }
            BYTES_FOR_INTS_CLASS.cast(bytes).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            int y = acc[accOff + i] + out[outOff + i];
            out[outOff + i] = (byte) Math.min(Byte.MAX_VALUE, Math.max(Byte.MIN_VALUE, y));
        }
    }

    /** int16 outputs, accumulating (§3.6): {@code out[i] = clamp(acc[i] + out[i], -32768, 32767)}, requantized acc. */
    static void toInt16Accumulate(int[] acc, int accOff, int n, short[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            int y = acc[accOff + i] + out[outOff + i];
            out[outOff + i] = (short) Math.min(Short.MAX_VALUE, Math.max(Short.MIN_VALUE, y));
        }
    }
}
