package dev.qlanes;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the Vector API methods the kernels call at every shape, 64 to 512 bits, before the first test of a fork, so
 * that the type profiles of their call sites inside the Vector API, which every caller shares, hold every shape.
 * A kernel that leaves C2 to bind a call on a vector of no statically known class then gets a virtual call, or
 * several shapes' code merged, and allocates on every call; {@code LayerAllocationTest} and
 * {@code TensorUtilsAllocationTest} see it. Without this, whether a kernel allocates depends on which shapes other
 * code happened to run first: 256-bit {@code RegisterTransposeDots} beside 512-bit kernels set it off on AVX-512
 * only. The kernels cast such vectors to their exact class ({@code VectorShapes}' comment on {@code INTS_CLASS}).
 *
 * <p>Registered through {@code META-INF/services} and active where a surefire execution enables JUnit's extension
 * autodetection: the {@code c2-only} and {@code c2-only-128} forks ({@code kernels/pom.xml}), where C2's code is what
 * the tests check.
 */
public final class ProfilePollution implements BeforeAllCallback {

    /** Enough calls per method for the interpreter to create its profile and record every shape in it. */
    static final int ROUNDS = 4000;
    private static final AtomicBoolean DONE = new AtomicBoolean();
    /** Where the results go, so that C2 cannot drop the calls once it compiles the loop. */
    static volatile long result;
    private static final List<VectorShape> SHAPES =
            List.of(VectorShape.S_64_BIT, VectorShape.S_128_BIT, VectorShape.S_256_BIT, VectorShape.S_512_BIT);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (DONE.compareAndSet(false, true)) {
            long sink = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (VectorShape shape : SHAPES) {
                    sink += ints(IntVector.SPECIES_64.withShape(shape))
                            + shorts(ShortVector.SPECIES_64.withShape(shape))
                            + bytes(ByteVector.SPECIES_64.withShape(shape))
                            + floats(FloatVector.SPECIES_64.withShape(shape))
                            + longsAndDoubles(LongVector.SPECIES_64.withShape(shape),
                                    DoubleVector.SPECIES_64.withShape(shape));
                }
            }
            result = sink;
        }
    }

    private static final int[] INT_DATA = new int[16];
    private static final short[] SHORT_DATA = new short[32];
    private static final byte[] BYTE_DATA = new byte[64];
    private static final float[] FLOAT_DATA = new float[16];
    private static final long[] LONG_DATA = new long[8];
    private static final double[] DOUBLE_DATA = new double[8];

    /** The lanes' sum as a long: one result per converted vector, whatever its element type. */
    private static long total(Vector<?> v) {
        return v.reduceLanesToLong(VectorOperators.ADD);
    }

    private static long ints(VectorSpecies<Integer> s) {
        IntVector v = IntVector.fromArray(s, INT_DATA, 0);
        IntVector w = v.add(IntVector.zero(s)).sub(v).mul(v).and(v).or(v).min(v).max(v).mul(3).add(1).min(2).max(-2)
                .lanewise(VectorOperators.ASHR, 1).lanewise(VectorOperators.LSHL, 1).lanewise(VectorOperators.ADD, v)
                .neg().abs().blend(v, v.compare(VectorOperators.LT, 0)).blend(7, v.eq(v));
        VectorMask<Integer> m = w.compare(VectorOperators.GT, v).or(w.lt(v)).and(v.eq(w)).not();
        w.intoArray(INT_DATA, 0);
        IntVector r = w.rearrange(VectorShuffle.iota(s, 0, 1, true)).selectFrom(v);
        return w.reduceLanes(VectorOperators.ADD) + r.lane(0) + m.trueCount() + (m.anyTrue() ? 1 : 0)
                + (m.allTrue() ? 1 : 0) + w.reinterpretAsShorts().lane(0) + w.reinterpretAsBytes().lane(0)
                + (long) w.reinterpretAsFloats().lane(0) + w.reinterpretAsLongs().lane(0)
                + total(w.convert(VectorOperators.I2F, 0)) + total(w.convert(VectorOperators.I2B, 0))
                + total(w.convert(VectorOperators.I2S, 0)) + total(w.convert(VectorOperators.I2L, 0))
                + total(w.convert(VectorOperators.I2D, 0))
                + m.cast(FloatVector.SPECIES_64.withShape(s.vectorShape())).trueCount()
                + IntVector.broadcast(s, 5).lane(0);
    }

    private static long shorts(VectorSpecies<Short> s) {
        ShortVector v = ShortVector.fromArray(s, SHORT_DATA, 0);
        ShortVector w = v.add(ShortVector.zero(s)).sub(v).mul(v).and(v).or(v).min(v).max(v).add((short) 1)
                .lanewise(VectorOperators.ASHR, 1).blend(v, v.compare(VectorOperators.LT, (short) 0));
        w.intoArray(SHORT_DATA, 0);
        return w.reduceLanes(VectorOperators.ADD) + w.reinterpretAsInts().lane(0) + w.reinterpretAsBytes().lane(0)
                + total(w.convert(VectorOperators.S2I, 0)) + total(w.convert(VectorOperators.S2B, 0))
                + ShortVector.broadcast(s, (short) 5).lane(0);
    }

    private static long bytes(VectorSpecies<Byte> s) {
        ByteVector v = ByteVector.fromArray(s, BYTE_DATA, 0);
        ByteVector w = v.add(ByteVector.zero(s)).sub(v).and(v).or(v).min(v).max(v)
                .blend(v, v.compare(VectorOperators.LT, (byte) 0));
        w.intoArray(BYTE_DATA, 0);
        long sum = w.reduceLanes(VectorOperators.ADD) + w.reinterpretAsInts().lane(0)
                + w.reinterpretAsShorts().lane(0) + total(w.convert(VectorOperators.B2S, 0))
                + total(w.convert(VectorOperators.B2I, 0));
        for (VectorShape to : SHAPES) {
            sum += total(w.convertShape(VectorOperators.B2S, ShortVector.SPECIES_64.withShape(to), 0))
                    + total(w.convertShape(VectorOperators.B2I, IntVector.SPECIES_64.withShape(to), 0));
        }
        return sum;
    }

    private static long floats(VectorSpecies<Float> s) {
        FloatVector v = FloatVector.fromArray(s, FLOAT_DATA, 0);
        FloatVector w = v.add(FloatVector.zero(s)).sub(v).mul(v).mul(0.5f).add(1.0f).min(v).max(v).abs().neg()
                .lanewise(VectorOperators.ADD, v).add(1.0f, v.compare(VectorOperators.GE, 0.5f))
                .blend(v, v.test(VectorOperators.IS_NAN).or(v.compare(VectorOperators.LT, 0.0f)));
        VectorMask<Float> m = w.compare(VectorOperators.GE, v).and(w.lt(v)).not();
        w.intoArray(FLOAT_DATA, 0);
        FloatVector r = w.rearrange(VectorShuffle.iota(s, 0, 1, true)).selectFrom(v);
        return (long) (w.reduceLanes(VectorOperators.ADD) + r.lane(0)) + m.trueCount() + (m.allTrue() ? 1 : 0)
                + w.reinterpretAsInts().lane(0) + total(w.convert(VectorOperators.F2I, 0))
                + total(w.convert(VectorOperators.F2D, 0)) + m.cast(IntVector.SPECIES_64
                        .withShape(s.vectorShape())).trueCount();
    }

    private static long longsAndDoubles(VectorSpecies<Long> ls, VectorSpecies<Double> ds) {
        LongVector l = LongVector.fromArray(ls, LONG_DATA, 0);
        LongVector lw = l.add(LongVector.zero(ls)).sub(l).mul(l).and(l).or(l).add(1).lanewise(VectorOperators.ASHR, 1)
                .blend(l, l.compare(VectorOperators.LT, 0));
        lw.intoArray(LONG_DATA, 0);
        DoubleVector d = DoubleVector.fromArray(ds, DOUBLE_DATA, 0);
        DoubleVector dw = d.add(DoubleVector.zero(ds)).mul(d).mul(0.5).add(1.0).min(d).max(d)
                .blend(d, d.compare(VectorOperators.LT, 0.0));
        dw.intoArray(DOUBLE_DATA, 0);
        return lw.reduceLanes(VectorOperators.ADD) + lw.reinterpretAsInts().lane(0)
                + total(lw.convert(VectorOperators.L2I, 0)) + (long) dw.reduceLanes(VectorOperators.ADD)
                + total(dw.convert(VectorOperators.D2F, 0)) + dw.reinterpretAsLongs().lane(0);
    }
}
