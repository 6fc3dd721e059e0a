package dev.qlanes.jmh.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry parses into the cases its lines say, and a line off the grammar is rejected with its number. */
class KernelCasesTest {

    private static final String KERNELS = """
            kernel qs8-dot             lane=16 tile=1x1 twin=PortableTensorUtils.dotProduct
            kernel qs8-fc-int8out-gemv lane=16 tile=1x4 twin=PortableTensorUtils.matrixBatchVectorMultiplyAccumulate
            kernel qs8-fc-int8out-gemm lane=16 tile=4x1 twin=PortableTensorUtils.matrixBatchVectorMultiplyAccumulate
            """;

    @Test
    void aCaseLineGivesItsFamilyShapeBindingsAndGate() {
        KernelCases r = KernelCases.parse(KERNELS + """
                # a comment
                qs8-fc-int8out-gemm-16x1024x512   fc@default,gate  peers  gate=qlanes/reference
                """);
        KernelCase c = r.cases().get(0);
        assertEquals("qs8-fc-int8out-gemm-16x1024x512", c.id());
        assertEquals("qs8-fc-int8out-gemm", c.family().id());
        assertEquals("qs8-fc-int8out", c.family().kernel());
        assertEquals("int8out", c.family().variant());
        assertEquals("gemm", c.family().tileName());
        assertEquals(List.of(16, 1024, 512), List.of(c.shape().batch(), c.shape().rows(), c.shape().cols()));
        assertEquals(Map.of(Bench.FC, Set.of("default", "gate"), Bench.PEERS, Set.of()), c.bindings());
        assertEquals(List.of(new GateRatio("qlanes", "reference")), c.gate());
        assertEquals("qs8-fc-int8out-gemm-16x1024x512.qlanes/reference", c.gateKey(c.gate().get(0)));
        assertTrue(c.in("full", Bench.PEERS), "a sweep benchmark's binding is in full");
        assertTrue(!c.in("default", Bench.PEERS));
        assertEquals(Map.of("shape", "16x1024x512", "path", "FULL_INTEGER"), Bench.FC.params(c));
        assertEquals(Map.of("shape", List.of("16x1024x512"), "path", List.of("FULL_INTEGER")), r.params("gate"));
        assertEquals(Set.of(Bench.FC, Bench.PEERS), r.benches("full"));
    }

    @Test
    void aDotCaseIsOneLength() {
        KernelCase c = KernelCases.parse(KERNELS + "qs8-dot-4096 dot floor\n").cases().get(0);
        assertEquals(4096, c.shape().cols());
        assertEquals(4096, c.shape().macs());
        assertEquals(Map.of("length", "4096"), Bench.FLOOR.params(c));
        assertTrue(!c.in("full", Bench.FLOOR), "floors are run by hand, not in the sweep");
    }

    private static void rejects(String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelCases.parse(KERNELS + line + "\n"), line);
        assertTrue(e.getMessage().startsWith("kernel-cases.txt line 4: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void linesOffTheGrammarAreRejectedByNumber() {
        rejects("qs8-conv-1x2x3 fc", "names no declared kernel family");
        rejects("qs8-fc-int8out-gemv-16x1024x1024 fc", "a gemv case needs batch 1, got 16");
        rejects("qs8-fc-int8out-gemm-1x1024x1024 fc", "a gemm case needs batch > 1, got 1");
        rejects("qs8-fc-int8out-gemv-1x1024 fc", "expected positive BATCHxROWSxCOLS");
        rejects("qs8-dot-0 dot", "expected a positive LENGTH");
        rejects("qs8-dot-64", "has no benchmark binding");
        rejects("qs8-dot-64 fc", "does not measure qs8-dot");
        rejects("qs8-dot-64 dott", "benchmark 'dott', expected one of dot, fc");
        rejects("qs8-dot-64 dot@nightly", "profile 'nightly'");
        rejects("qs8-dot-64 dot@gate", "a binding in @gate needs gate= ratios");
        rejects("qs8-dot-64 dot gate=qlanes/reference", "gate= ratios need exactly one binding in @gate");
        rejects("qs8-dot-64 dot@gate gate=qlanes", "expected FAST/SLOW");
        rejects("kernel qs8-fc-gemv lane=8 tile=1x4 twin=A.b", "lane = 8");
        rejects("kernel qs8-fc-x-gemv lane=16 tile=4 twin=A.b", "tile = 4");
        rejects("kernel qs8-mul lane=16 tile=1x1 twin=A.b", "expected TYPES-OP[-VARIANT][-TILE]");
        rejects("kernel qs8-dot lane=16 tile=1x1 twin=A.b", "kernel qs8-dot is declared twice");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> KernelCases.parse(KERNELS + "qs8-dot-64 dot\nqs8-dot-64 dot\n"));
        assertTrue(twice.getMessage().contains("line 5: case qs8-dot-64 is listed twice"), twice.getMessage());
    }

    @Test
    void theCommittedRegistryParsesAndEveryFamilyHasCases() {
        KernelCases r = KernelCases.registry();
        for (KernelFamily f : r.families()) {
            assertTrue(r.cases().stream().anyMatch(c -> c.family() == f), "kernel " + f.id() + " has no case");
        }
        assertEquals(r.cases().size(), r.cases().stream().map(KernelCase::id).distinct().count());
        assertTrue(r.gated().size() >= 1, "something is gated");
    }
}
