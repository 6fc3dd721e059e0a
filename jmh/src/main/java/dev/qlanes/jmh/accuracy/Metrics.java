package dev.qlanes.jmh.accuracy;

/**
 * How far an approximate output {@code y} is from the reference {@code t}, with {@code e = y − t}, all
 * computed in double:
 * <ul>
 *   <li>{@code maxAbsError = max |e|} — the worst single output, in the layer's own units;</li>
 *   <li>{@code relRmsError = ‖e‖ / ‖t‖} — the typical error relative to the typical output;</li>
 *   <li>{@code snrDb = 10·log10(‖t‖² / ‖e‖²) = −20·log10(relRmsError)} — the same, in decibels (each 6 dB is
 *       one bit); {@code +∞} when {@code e = 0};</li>
 *   <li>{@code cosine = t·y / (‖t‖‖y‖)} — the direction only, blind to a common scale error; 1 when both
 *       vectors are zero, NaN when exactly one is.</li>
 * </ul>
 */
public record Metrics(double maxAbsError, double relRmsError, double snrDb, double cosine) {

    /**
     * Compares {@code approx} with {@code reference}.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static Metrics compare(double[] reference, float[] approx) {
        if (reference.length != approx.length) {
            throw new IllegalArgumentException("lengths differ: " + reference.length + " vs " + approx.length);
        }
        double maxAbs = 0;
        double signal = 0;
        double noise = 0;
        double approxEnergy = 0;
        double dot = 0;
        for (int i = 0; i < reference.length; i++) {
            double t = reference[i];
            double y = approx[i];
            double e = y - t;
            maxAbs = Math.max(maxAbs, Math.abs(e));
            signal += t * t;
            noise += e * e;
            approxEnergy += y * y;
            dot += t * y;
        }
        double relRms = noise == 0 ? 0.0 : Math.sqrt(noise) / Math.sqrt(signal); // ‖e‖ > 0 = ‖t‖ gives +∞
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10.0 * Math.log10(signal / noise);
        double cosine;
        if (signal == 0 && approxEnergy == 0) {
            cosine = 1.0;
        } else if (signal == 0 || approxEnergy == 0) {
            cosine = Double.NaN;
        } else {
            // One square root of the product: sqrt(fl(s·s)) == s exactly, so a vector's cosine with itself
            // (or with a power-of-two multiple of itself) is exactly 1, not 1 − 1 ulp.
            cosine = dot / Math.sqrt(signal * approxEnergy);
        }
        return new Metrics(maxAbs, relRms, snr, cosine);
    }
}
