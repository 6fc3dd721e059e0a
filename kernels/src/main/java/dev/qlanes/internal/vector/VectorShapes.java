package dev.qlanes.internal.vector;

import dev.qlanes.internal.KernelProvider;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
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
    /**
     * Whether a kernel may finish a row in one masked vector of any lane type, bytes included. At 512 bits (AVX-512,
     * SVE) masked loads and stores are single predicated instructions. AVX2 has no masked byte store and NEON no
     * masked access at all; there C2 boxes a loop's vectors once a call has taken such a path
     * ({@code VectorLayerKernels.clampToInt8}), so rows end in scalar code at the narrower widths.
     */
    public static final boolean MASKED_TAILS = BITS == 512;

    /**
     * {@link #INTS}' concrete vector class ({@code Int512Vector} and the like, which code outside the JDK cannot
     * name), for {@code INTS_CLASS.cast(v)}; the other {@code *_CLASS} constants are the same for their species.
     *
     * <p>Why the kernels cast: C2 binds a method called on a vector to the vector's class while it parses, from what
     * it knows of the receiver then. That is the exact class for the result of a load, a broadcast or a lane-wise
     * operation, but only the declared abstract class ({@code IntVector}) for a value that merges control flow (a
     * loop's accumulator, a loop invariant used inside a loop, a variable set in an {@code if}), for a
     * {@code reinterpret}, {@code convert} or {@code convertShape} result, and for a parameter. For those it falls
     * back on the type profile of the call site inside the Vector API, which every caller of that API method shares.
     * Once code anywhere in the JVM runs another shape through the same method (256-bit
     * {@link RegisterTransposeDots} beside 512-bit kernels, or a user's own vectors), the profile is polymorphic, C2
     * inlines both shapes' code behind type checks, and the intrinsic that receives the merged value finds no
     * constant species and calls its Java fallback: every vector on that path is then allocated. So a kernel casts
     * such a value before calling a method on it. {@code Class.cast} of a constant class is an intrinsic: it is
     * expanded even where C2 has stopped inlining in a large method ({@code NodeCountInliningCutoff}), where a helper
     * method would stay a call, and it costs nothing once C2 has proved the class. (An argument needs no cast once
     * the receiver's class is exact: the API compares the argument's class with the receiver's, and C2 takes the
     * argument's exact class from that check; with an inexact receiver the argument fails to unbox too. A vector of
     * shift counts is the exception: the API masks it by calling {@code lanewise(AND, ...)} on it, so it is cast too.)
     * The C2-only test forks check this under every shape's profile ({@code ProfilePollution}); docs/performance.md,
     * "Profile pollution" and "Test order".
     *
     * <p>One case is cast always: the receiver of a shape-changing call ({@code reinterpretAs*}, {@code convert},
     * {@code convertShape}), a load's and a lane-wise result's included. Those methods are {@code AbstractVector}'s,
     * shared by every element type, so their inner call sites see several classes in any JVM, even one that runs a
     * single shape; and in a method past the cutoff, where C2 delays inlining, even a lane-wise result may have no
     * exact class yet when the call is bound. {@code ExactReceiverTest} checks this rule on the source.
     */
    public static final Class<? extends IntVector> INTS_CLASS = vectorClass(INTS);
    /** {@link #SHORTS}' vector class. */
    public static final Class<? extends ShortVector> SHORTS_CLASS = vectorClass(SHORTS);
    /** {@link #FLOATS}' vector class. */
    public static final Class<? extends FloatVector> FLOATS_CLASS = vectorClass(FLOATS);
    /** {@link #LONGS}' vector class. */
    public static final Class<? extends LongVector> LONGS_CLASS = vectorClass(LONGS);
    /** {@link #DOUBLES}' vector class. */
    public static final Class<? extends DoubleVector> DOUBLES_CLASS = vectorClass(DOUBLES);
    /** {@link #SHORTS_FOR_INTS}' vector class. */
    public static final Class<? extends ShortVector> SHORTS_FOR_INTS_CLASS = vectorClass(SHORTS_FOR_INTS);
    /** {@link #BYTES_HALF}' vector class. */
    public static final Class<? extends ByteVector> BYTES_HALF_CLASS = vectorClass(BYTES_HALF);
    /** {@link #BYTES_FOR_INTS}' vector class. */
    public static final Class<? extends ByteVector> BYTES_FOR_INTS_CLASS = vectorClass(BYTES_FOR_INTS);

    /** {@link #BYTES_FOR_INTS}' mask class, for {@code BYTES_FOR_INTS_MASK_CLASS.cast(m)} as with vector classes. */
    @SuppressWarnings("unchecked")
    public static final Class<? extends VectorMask<Byte>> BYTES_FOR_INTS_MASK_CLASS =
            (Class<? extends VectorMask<Byte>>) BYTES_FOR_INTS.maskAll(true).getClass();
    /** {@code BYTES_FOR_INTS.indexInRange(0, n)} for each {@code n} up to its lane count: see {@link #firstBytes}. */
    @SuppressWarnings("unchecked")
    private static final VectorMask<Byte>[] FIRST_BYTES = 
            (VectorMask<Byte>[]) new VectorMask<?>[BYTES_FOR_INTS.length() + 1];

    static {
        for (int n = 0; n < FIRST_BYTES.length; n++) {
            FIRST_BYTES[n] = BYTES_FOR_INTS.indexInRange(0, n);
        }
    }

    /**
     * The first {@code n} lanes of {@link #BYTES_FOR_INTS} set ({@code 0 <= n <= BYTES_FOR_INTS.length()}), made once:
     * the mask of a masked tail store, written {@code BYTES_FOR_INTS_MASK_CLASS.cast(firstBytes(n))} at the store.
     * {@code indexInRange} returns different masks from different branches (a branch profile every caller shares), and
     * under some warm-up orders C2 allocated its merged result at every call, through the store's {@code allTrue()}
     * bound to no class (docs/performance.md, "Test order"). A mask read from this table is an object already, and the
     * cast at the store binds the store's calls on it.
     */
    public static VectorMask<Byte> firstBytes(int n) {
        return FIRST_BYTES[n];
    }

    /** {@code species.vectorType()} as a class of the element type's abstract vector, for a typed {@code cast}. */
    @SuppressWarnings("unchecked")
    public static <V extends Vector<?>> Class<? extends V> vectorClass(VectorSpecies<?> species) {
        return (Class<? extends V>) species.vectorType();
    }

    private static VectorShape shape(int bits) {
        return VectorShape.forBitSize(bits);
    }

    private static int chosenBits() {
        int forced = KernelProvider.forcedVectorBits();
        return forced != 0 ? forced : VectorShape.preferredShape().vectorBitSize();
    }
}
