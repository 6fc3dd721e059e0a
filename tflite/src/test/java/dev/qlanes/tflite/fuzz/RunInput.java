package dev.qlanes.tflite.fuzz;

import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.util.Arrays;

/**
 * How {@link ModelRunFuzzTest} splits a fuzz input: {@code [model][pool][poolLength: u16 LE][control]}.
 *
 * <ul>
 *   <li>{@code control} (the last byte): bits 0-1 the batch - 1 (1 to 4); bits 2-3 the requantization
 *       (0 and 3: TFLite's double-float, 1: fixed point with double rounding, 2: single rounding); bit 4 how floats
 *       are read from the pool (0: raw IEEE bits, NaN and infinities included; 1: a byte / 32, in [-4, 4)).</li>
 *   <li>{@code pool}: the bytes the runner's inputs are filled from, in input order, cycling when the inputs
 *       need more (all zeros when it is empty); {@code poolLength} is clamped to what is there.</li>
 *   <li>{@code model}: everything before, read as the {@code .tflite} file.</li>
 * </ul>
 * An input shorter than 3 bytes is all model, batch 1. Seeds are written with {@link #encode}.
 */
record RunInput(byte[] model, int batch, Requantization requantization, boolean rawFloats, byte[] pool) {
    static final int TRAILER = 3;

    static RunInput parse(byte[] data) {
        int n = data.length;
        if (n < TRAILER) {
            return new RunInput(data.clone(), 1, Requantization.DOUBLE_FLOAT, true, new byte[0]);
        }
        int control = data[n - 1] & 0xFF;
        int poolLength = Math.min((data[n - 3] & 0xFF) | (data[n - 2] & 0xFF) << 8, n - TRAILER);
        int modelLength = n - TRAILER - poolLength;
        Requantization rq = switch ((control >>> 2) & 3) {
            case 1 -> Requantization.fixedPoint(Rounding.DOUBLE_ROUNDING);
            case 2 -> Requantization.fixedPoint(Rounding.SINGLE_ROUNDING);
            default -> Requantization.DOUBLE_FLOAT;
        };
        return new RunInput(Arrays.copyOf(data, modelLength), 1 + (control & 3), rq, (control & 0x10) == 0,
                Arrays.copyOfRange(data, modelLength, modelLength + poolLength));
    }

    /** The fuzz input that {@link #parse} splits into these parts ({@code requantization}: 0, 1 or 2 as above). */
    static byte[] encode(byte[] model, byte[] pool, int batch, int requantization, boolean rawFloats) {
        if (batch < 1 || batch > 4 || requantization < 0 || requantization > 2 || pool.length > 0xFFFF) {
            throw new IllegalArgumentException("batch " + batch + ", requantization " + requantization);
        }
        byte[] data = Arrays.copyOf(model, model.length + pool.length + TRAILER);
        System.arraycopy(pool, 0, data, model.length, pool.length);
        int n = data.length;
        data[n - 3] = (byte) pool.length;
        data[n - 2] = (byte) (pool.length >>> 8);
        data[n - 1] = (byte) ((batch - 1) | requantization << 2 | (rawFloats ? 0 : 0x10));
        return data;
    }

    /** Input values from the pool, cycling. */
    static final class Values {
        private final byte[] pool;
        private int next;

        Values(byte[] pool) {
            this.pool = pool;
        }

        byte nextByte() {
            if (pool.length == 0) {
                return 0;
            }
            byte b = pool[next];
            next = (next + 1) % pool.length;
            return b;
        }

        float nextFloat(boolean raw) {
            if (!raw) {
                return nextByte() / 32.0f;
            }
            int bits = (nextByte() & 0xFF) | (nextByte() & 0xFF) << 8 | (nextByte() & 0xFF) << 16 | nextByte() << 24;
            return Float.intBitsToFloat(bits);
        }
    }
}
