package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the registry ({@code kernel-cases.txt}, which also drives the benchmarks, the gate and the report)
 * equals its reference twin bit for bit through the public API, at its shape and at the shapes derived from its
 * family's step and tile (see {@link KernelCaseTester}); one dynamic test per case id.
 */
class KernelCaseTest {

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesItsTwin() {
        List<KernelCases.Case> cases = KernelCases.all();
        assertTrue(cases.size() > 50, "the registry lists the benchmarks' cases: " + cases.size());
        return cases.stream().map(c -> dynamicTest(c.id(), () -> KernelCaseTester.of(c).check()));
    }

    @Test
    void everyFamilyHasACheckAndEveryCheckAFamily() {
        Set<String> kernels = KernelCases.families().stream().map(KernelCases.Family::kernel)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(kernels, new TreeSet<>(KernelCaseOperations.OPERATIONS.keySet()),
                "kernel families in kernel-cases.txt vs KernelCaseOperations.OPERATIONS");
    }

    @Test
    void everyTwinIsAPublicReferenceMethod() throws ClassNotFoundException {
        for (KernelCases.Family f : KernelCases.families()) {
            for (String twin : f.twin()) {
                int dot = twin.indexOf('.');
                Class<?> type = Class.forName("dev.qlanes.reference." + twin.substring(0, dot));
                String name = twin.substring(dot + 1);
                assertTrue(Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name)
                        && Modifier.isStatic(m.getModifiers())), f.id() + ": no public static " + twin);
            }
            assertEquals(f.twin(), KernelCaseOperations.OPERATIONS.get(f.kernel()).twin(), f.id());
        }
    }

    @Test
    void shapesComeFromTheStepAndTheTile() {
        KernelCases.Case gemm = KernelCases.parse("""
                kernel qs8-fc-int8out-gemm lane=16 tile=4x1 twin=PortableTensorUtils.matrixBatchVectorMultiplyAccumulate
                qs8-fc-int8out-gemm-4x16x64 fc
                """).get(0);
        List<String> shapes = KernelCaseTester.of(gemm).vectorBits(256).shapes().stream().map(Object::toString)
                .toList();
        // step 256/16 = 16 columns; NR = 1: rows 1, 2 (0 is skipped); MR = 4: batches 3, 4 (the case's own), 5
        assertEquals(List.of("4x16x64", "4x16x15", "4x16x16", "4x16x17", "4x1x64", "4x2x64", "3x16x64", "5x16x64"),
                shapes);
        KernelCases.Case seq = KernelCases.parse("""
                kernel f32-fc-seq-gemv lane=32 tile=1xL twin=PortableTensorUtils.matrixBatchVectorMultiplyAccumulate
                f32-fc-seq-gemv-1x4096x4096 fc
                """).get(0);
        // step 128/32 = 4 floats, rows tiled by the step (L); 4096x4096 is cut to the budget: by rows, except where
        // the row count is the derived value, there by columns
        List<KernelCaseTester.Shape> s = KernelCaseTester.of(seq).vectorBits(128).shapes();
        assertEquals(7, s.size(), s.toString());
        assertEquals(List.of(4096, 3, 4, 5), s.subList(0, 4).stream().map(KernelCaseTester.Shape::cols).toList(),
                "cols: the case's, then step-1, step, step+1: " + s);
        assertEquals(List.of(3, 4, 5), s.subList(4, 7).stream().map(KernelCaseTester.Shape::rows).toList(),
                "rows NR-1, NR, NR+1: " + s);
        assertTrue(s.stream().allMatch(x -> x.macs() <= KernelCaseTester.BUDGET), s.toString());
    }

    @Test
    void aCaseOfAnUndeclaredFamilyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelCases.parse("qs8-conv-1x2x3 fc\n"));
        assertTrue(e.getMessage().contains("line 1: case qs8-conv-1x2x3 names no declared kernel family"),
                e.getMessage());
        assertFalse(KernelCases.all().isEmpty());
    }
}
