package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Arguments drawn from the fuzzer's data, shaped so that every input stays small (no array over
 * {@value #MAX_ELEMENTS} elements, so at most 64 KiB of floats) while every argument check stays reachable: sizes
 * are mostly small but sometimes negative, huge or overflowing in products; arrays are mostly exactly as long as the
 * shape needs or longer, sometimes shorter, sometimes null; floats include NaN, infinities, -0.0 and subnormals.
 * When the data runs out, every choice falls to its first, ordinary case ({@link FuzzedDataProvider} returns zeros).
 */
final class Args {
    /** Longest array any input makes: 16 Ki elements, 64 KiB of floats. */
    static final int MAX_ELEMENTS = 1 << 14;
    /**
     * Sizes that break shapes: negative, the int extremes, and values whose products with small sizes overflow
     * int (46341² > 2^31) or exceed any array this target makes.
     */
    private static final int[] HOSTILE_SIZES = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 16, 46341, 1 << 28,
        -16};
    /** Floats where quantizers and products change behaviour. */
    private static final float[] SPECIAL_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 127.5f,
        -127.5f, 0.5f, 1e-30f, 1e30f, Float.intBitsToFloat(0x7fa00001)};
    /** int32 values where wrapping, saturation and shifts change behaviour. */
    private static final int[] SPECIAL_INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1,
        1 << 30, (1 << 30) - 1, -(1 << 30), 1 << 15, -(1 << 15), 127, -128, 32767, -32768};

    final FuzzedDataProvider data;

    Args(FuzzedDataProvider data) {
        this.data = data;
    }

    /** True with probability about {@code 1 / n} (false once the data is exhausted). */
    boolean oneIn(int n) {
        return data.consumeInt(0, n - 1) == n - 1;
    }

    /** A size in {@code [0, max]}, or one in 16 times a hostile one. */
    int size(int max) {
        return oneIn(16) ? data.pickValue(HOSTILE_SIZES) : data.consumeInt(0, max);
    }

    /**
     * Several sizes of one shape, each from {@code [0, max[i]]} or hostile as {@link #size}. When one is larger than
     * any array here, the zeros among the others become 1: a shape such as {@code nBatch = 2^31 − 1} with zero columns
     * is valid with empty arrays but loops two billion times doing nothing, which would only slow the fuzzer down;
     * with non-zero companions it has to be rejected as too large for its arrays, which is what is worth checking.
     */
    int[] sizes(int... max) {
        int[] s = new int[max.length];
        boolean huge = false;
        for (int i = 0; i < max.length; i++) {
            s[i] = size(max[i]);
            huge |= s[i] > MAX_ELEMENTS;
        }
        if (huge) {
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] == 0 ? 1 : s[i];
            }
        }
        return s;
    }

    /**
     * The length of an array a shape needs {@code required} elements of: mostly exactly that or a few more (the
     * extra elements are canaries that must survive), sometimes one short or much shorter; never more than
     * {@value #MAX_ELEMENTS}, so a huge requirement gives a short array.
     */
    int length(long required) {
        long n = switch (data.consumeInt(0, 7)) {
            case 5 -> required - 1;
            case 6 -> data.consumeInt(0, 8);
            case 7 -> required + data.consumeInt(1, 5);
            default -> required;
        };
        return (int) Math.max(0, Math.min(n, MAX_ELEMENTS));
    }

    /** Whether an array that may not be null is null this time (1 in 24). */
    boolean isNull() {
        return oneIn(24);
    }

    byte[] bytes(long required) {
        return isNull() ? null : bytesOfLength(length(required));
    }

    /** {@code n} bytes: the data's bytes, then a profile (extremes, -128, a ramp) where the data ran short. */
    byte[] bytesOfLength(int n) {
        int profile = data.consumeInt(0, 3);
        byte[] given = data.consumeBytes(n);
        byte[] b = new byte[n];
        System.arraycopy(given, 0, b, 0, given.length);
        for (int i = given.length; i < n; i++) {
            b[i] = switch (profile) {
                case 1 -> Byte.MIN_VALUE;
                case 2 -> (i & 1) == 0 ? Byte.MAX_VALUE : Byte.MIN_VALUE;
                case 3 -> (byte) (i * 37 + 11);
                default -> 0;
            };
        }
        return b;
    }

    short[] shorts(long required) {
        if (isNull()) {
            return null;
        }
        int n = length(required);
        boolean extremes = data.consumeBoolean();
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = data.remainingBytes() > 0 ? data.consumeShort()
                    : extremes ? ((i & 1) == 0 ? Short.MAX_VALUE : Short.MIN_VALUE) : (short) (i * 1001);
        }
        return s;
    }

    int[] ints(long required) {
        return isNull() ? null : intsOfLength(length(required));
    }

    int[] intsOfLength(int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = anyInt();
        }
        return v;
    }

    /** Any int32, with one in four a special one (extremes, powers of two). */
    int anyInt() {
        return oneIn(4) ? data.pickValue(SPECIAL_INTS) : data.consumeInt();
    }

    float[] floats(long required) {
        return isNull() ? null : floatsOfLength(length(required));
    }

    /**
     * {@code n} floats in one of a few profiles: the data's raw bits (any float, NaN payloads included), small
     * integers times a power-of-two scale (exact ties of the quantizers), Gaussian-like values with special values
     * mixed in, or all zero (the layers' zero-input shortcut).
     */
    float[] floatsOfLength(int n) {
        float[] f = new float[n];
        switch (data.consumeInt(0, 3)) {
            case 1 -> {
                float scale = Math.scalb(1.0f, data.consumeInt(-30, 30));
                for (int i = 0; i < n; i++) {
                    f[i] = data.consumeByte() * scale;
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    f[i] = oneIn(8) ? data.pickValue(SPECIAL_FLOATS) : data.consumeRegularFloat(-100f, 100f);
                }
            }
            case 3 -> {
                if (n > 0 && data.consumeBoolean()) {
                    f[data.consumeInt(0, n - 1)] = -0.0f;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    f[i] = data.remainingBytes() >= 4 ? data.consumeFloat() : (i % 7) - 3.25f;
                }
            }
        }
        return f;
    }

    /** Any float, with one in four a special one. */
    float anyFloat() {
        return oneIn(4) ? data.pickValue(SPECIAL_FLOATS) : data.consumeFloat();
    }

    /**
     * A quantization scale: mostly a valid one (finite, {@code > 0}, from subnormal to {@code Float.MAX_VALUE}, often
     * a power of two so that requantization hits exact ties), one in eight any float (NaN, zero, negative, Inf).
     */
    float scale() {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> anyFloat();
            case 1 -> Math.scalb(1.0f, data.consumeInt(-20, 4));
            case 2 -> data.pickValue(new float[] {Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1e-30f, 1e30f});
            default -> data.consumeRegularFloat(1e-4f, 1f);
        };
    }

    /** {@code n} valid scales with, one in six times, one replaced by any float. */
    float[] scalesOfLength(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = data.consumeBoolean() ? Math.scalb(1.0f, data.consumeInt(-20, 4)) : data.consumeRegularFloat(1e-4f, 1f);
        }
        if (n > 0 && oneIn(6)) {
            s[data.consumeInt(0, n - 1)] = anyFloat();
        }
        return s;
    }

    /** A zero point: mostly in {@code [-128, 127]}, one in twelve any int. */
    int zeroPoint() {
        return oneIn(12) ? anyInt() : data.consumeInt(-128, 127);
    }

    /** A fixed-point shift: mostly in {@code [-33, 32]} (just beyond the valid range on both sides), else any int. */
    int shift() {
        return oneIn(16) ? data.consumeInt() : data.consumeInt(-33, 32);
    }

    /** A Q0.31 multiplier: mostly normalized ({@code [2^30, 2^31)}), sometimes any int (zero, negative). */
    int multiplier() {
        return data.consumeBoolean() ? data.consumeInt(1 << 30, Integer.MAX_VALUE) : anyInt();
    }
}
