package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks one registry case ({@code kernel-cases.txt}) through qlanes' public entry point against its reference twin,
 * bit for bit, XNNPACK-tester style:
 * <pre>
 *   KernelCases.all().forEach(c -&gt; KernelCaseTester.of(c).check());
 * </pre>
 * The shapes checked are the case's own and those derived from its family's vector step and tile: the case with its
 * columns replaced by {@code step-1, step, step+1}, its rows by {@code NR-1, NR, NR+1}, and (tiles of several
 * activation rows) its batch by {@code MR-1, MR, MR+1}; each with its rows cut, when needed, to about
 * {@link #BUDGET} multiply-adds (its columns instead where the row count is the derived value), so that the large
 * benchmark shapes stay affordable in every test fork while keeping their depth and batch. The entry point and the
 * twin of each family are {@link KernelCaseOperations}'; they use public API only.
 */
final class KernelCaseTester {

    /**
     * Multiply-adds per checked shape: ~900 shapes per fork (each run by the facade and the twin) stay within ~10 s
     * at full scale; the -Xint and forced-512-bit forks run far slower, so small scale is 32x less.
     */
    static final long BUDGET = LayerFixtures.SMALL ? 1L << 13 : 1L << 18;
    /** Seed of every case's operands; override with -Dqlanes.test.seed to reproduce a failure. */
    static final long SEED = Long.getLong("qlanes.test.seed", 0x5EED_0018L);
    /** The narrowest width dispatch vectorizes at: the step the reference forks derive shapes from. */
    private static final int MIN_VECTOR_BITS = 128;

    /** One checked shape: {@code batch} activation rows times a {@code rows × cols} matrix. */
    record Shape(int batch, int rows, int cols) {
        long macs() {
            return (long) batch * rows * cols;
        }

        @Override
        public String toString() {
            return batch + "x" + rows + "x" + cols;
        }
    }

    /** Family and shape pairs already checked in this JVM: cases that derive the same shape share its check. */
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private final KernelCases.Case kernelCase;
    private int vectorBits;

    private KernelCaseTester(KernelCases.Case kernelCase) {
        this.kernelCase = kernelCase;
        Kernels.Info info = Kernels.info();
        this.vectorBits = info.vectorized() ? info.vectorBitSize() : MIN_VECTOR_BITS;
    }

    static KernelCaseTester of(KernelCases.Case kernelCase) {
        return new KernelCaseTester(kernelCase);
    }

    /** Derives the shapes from {@code bits}-wide vectors instead of the width dispatch chose. */
    KernelCaseTester vectorBits(int bits) {
        this.vectorBits = bits;
        return this;
    }

    /** Elements per vector step of this case's family. */
    int step() {
        return vectorBits / kernelCase.family().laneBits();
    }

    /** The shapes {@link #check()} compares, in order, without duplicates. */
    List<Shape> shapes() {
        KernelCases.Family f = kernelCase.family();
        int b = kernelCase.batch();
        int r = kernelCase.rows();
        int c = kernelCase.cols();
        boolean dot = f.kernel().equals("qs8-dot");
        Set<Shape> shapes = new LinkedHashSet<>();
        shapes.add(fit(b, r, c));
        int step = step();
        for (int cols : new int[] {step - 1, step, step + 1}) {
            shapes.add(fit(b, r, cols));
        }
        if (!dot) {
            int nr = f.rowTile(step);
            for (int rows = Math.max(1, nr - 1); rows <= nr + 1; rows++) {
                shapes.add(fitColumns(b, rows, c));
            }
        }
        if (f.mr() > 1) {
            for (int batch = Math.max(2, f.mr() - 1); batch <= f.mr() + 1; batch++) {
                shapes.add(fit(batch, r, c));
            }
        }
        return new ArrayList<>(shapes);
    }

    /** {@code (batch, rows, cols)} with rows cut to fit {@link #BUDGET} (at least one row: depth and batch are kept). */
    private static Shape fit(int batch, int rows, int cols) {
        long perRow = (long) batch * cols;
        return new Shape(batch, (int) Math.max(1, Math.min(rows, BUDGET / perRow)), cols);
    }

    /** {@code (batch, rows, cols)} with columns cut instead, for the shapes whose row count is the point. */
    private static Shape fitColumns(int batch, int rows, int cols) {
        long perColumn = (long) batch * rows;
        return new Shape(batch, rows, (int) Math.max(1, Math.min(cols, BUDGET / perColumn)));
    }

    /**
     * Compares the entry point with the twin at every shape of {@link #shapes()}; returns how many shapes the case
     * covers (each is checked here or was checked in this JVM by a case deriving the same one).
     */
    int check() {
        KernelCaseOperations.Operation op = KernelCaseOperations.OPERATIONS.get(kernelCase.family().kernel());
        assertTrue(op != null, "no check for kernel family " + kernelCase.family().id()
                + ": add one to KernelCaseOperations.OPERATIONS");
        assertEquals(kernelCase.family().twin(), op.twin(), kernelCase.family().id()
                + ": the twin kernel-cases.txt names vs the one KernelCaseOperations compares with");
        List<Shape> shapes = shapes();
        for (Shape s : shapes) {
            if (CHECKED.add(kernelCase.family().id() + "@" + s)) {
                long seed = SEED ^ (31L * s.batch() + s.rows()) * 1_000_003L ^ s.cols();
                op.check(s, new SplittableRandom(seed), kernelCase.id() + " at " + s + " (" + vectorBits
                        + "-bit step " + step() + ", seed 0x" + Long.toHexString(seed) + ")");
            }
        }
        assertTrue(!shapes.isEmpty(), kernelCase.id() + ": no shape checked");
        return shapes.size();
    }
}
