package dev.qlanes.internal.vector;

import dev.qlanes.internal.KernelProvider;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every kernel uses, fixed once per JVM as {@code static final} constants so that C2 folds
 * them (a species passed as a value was measured ~200x slower). {@link #BITS} is the preferred vector width,
 * or the width {@code -Dqlanes.vectorBits=128|256|512} forces (tests force widths per JVM fork).
 *
 * <p>One kernel adds a species of its own: {@link RegisterTransposeDots} runs 256-bit floats at 512 bits (see there
 * for why, and for the methods it may call on them).
 *
 * <p>The kernels widen int8 to int32 in two steps of fixed width: {@link #BYTES_HALF} (BITS/2) converts
 * lane for lane into {@link #SHORTS} (BITS), whose products are summed in pairs into {@link #INTS} (BITS).
 */
public final class VectorShapes {
    private VectorShapes() {}

    /** The width every kernel works at. */
    public static final int BITS = chosenBits();

    public static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, shape(BITS));
    public static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, shape(BITS));
    public static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, shape(BITS));
    public static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, shape(BITS));
    /** Half-width bytes: as many lanes as {@link #SHORTS}, so {@code B2S} is a lane-for-lane expansion. */
    public static final VectorSpecies<Byte> BYTES_HALF = VectorSpecies.of(byte.class, shape(BITS / 2));
    /**
     * Bytes paired with {@link #INTS}: a quarter of the width, but at least the smallest shape (64 bits),
     * so at 128 bits one byte vector holds {@link #INT_GROUPS} = 2 int vectors' worth of lanes.
     */
    public static final VectorSpecies<Byte> BYTES_FOR_INTS = VectorSpecies.of(byte.class, shape(Math.max(64, BITS / 4)));
    /** Half-width shorts: as many lanes as {@link #INTS}, so {@code S2I} and {@code I2S} are lane for lane. */
    public static final VectorSpecies<Short> SHORTS_FOR_INTS = VectorSpecies.of(short.class, shape(BITS / 2));
    /**
     * Doubles at the full width, half as many lanes as {@link #INTS}: the float requantization's products
     * ({@link DoubleFloatRequantizer}), two vectors per int vector.
     */
    public static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, shape(BITS));
    /** How many {@link #INTS} vectors one {@link #BYTES_FOR_INTS} vector covers (1, or 2 at 128 bits). */
    public static final int INT_GROUPS = BYTES_FOR_INTS.length() / INTS.length();

    private static VectorShape shape(int bits) {
        return VectorShape.forBitSize(bits);
    }

    private static int chosenBits() {
        int forced = KernelProvider.forcedVectorBits();
        return forced != 0 ? forced : VectorShape.preferredShape().vectorBitSize();
    }
}
