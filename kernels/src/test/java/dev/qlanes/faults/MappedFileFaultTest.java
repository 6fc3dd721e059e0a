package dev.qlanes.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Truncating a memory-mapped file under a reader, each case in a child JVM ({@link ChildJvm}, {@link FaultProbe}).
 * First what the JDK itself does (the facts {@code docs/faults.md} builds on, checked again on every JDK the tests
 * run on), then what qlanes' callers see: a layer whose mapped weights file is truncated keeps computing the
 * reference results, and preparing weights from an already truncated mapping throws.
 */
class MappedFileFaultTest {
    /** The JIT configurations of the JDK probes, as JVM flags. */
    private static final List<String> INTERPRETER = List.of("-Xint");
    private static final List<String> C1 = List.of("-XX:TieredStopAtLevel=1");
    private static final List<String> C2 = List.of("-XX:-TieredCompilation", "-Xbatch");

    private static List<String> flags(String jit) {
        return switch (jit) {
            case "interpreter" -> INTERPRETER;
            case "C1" -> C1;
            case "C2" -> C2;
            default -> throw new IllegalArgumentException(jit);
        };
    }

    /**
     * Reads the JDK turns into {@link InternalError} ("a fault occurred in an unsafe memory access operation"):
     * scalar segment reads and bulk copies under every JIT, Vector API loads in the interpreter.
     */
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({"jdk-scalar, interpreter, 1", "jdk-scalar, C1, 2000", "jdk-scalar, C2, 2000",
        "jdk-copy, interpreter, 1", "jdk-copy, C2, 2000", "jdk-vector, interpreter, 1"})
    void theJdkThrowsInternalErrorForTheseReads(String mode, String jit, int warmUp) throws Exception {
        ChildJvm.Result r = ChildJvm.run(flags(jit), mode, Integer.toString(warmUp));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.crashReports().isEmpty(), r::toString);
        assertEquals("InternalError: a fault occurred in an unsafe memory access operation", r.outcome(),
                r::toString);
    }

    /**
     * The reason mapped weights are copied: a Vector API load that C2 compiled kills the JVM with SIGBUS (its
     * nmethod is not marked as doing unsafe accesses, so HotSpot's signal handler does not convert the fault). If
     * this starts failing, the JDK converts these faults now: update docs/faults.md, and in-place mapped weights
     * become possible again.
     */
    @Test
    void aC2CompiledVectorLoadOfATruncatedMappingKillsTheJvm() throws Exception {
        ChildJvm.Result r = ChildJvm.run(C2, "jdk-vector", "2000");
        assertNotEquals(0, r.exitCode(), r::toString);
        assertEquals(null, r.outcome(), r::toString);
        assertTrue(r.crashReport().contains("SIGBUS"), r::toString);
    }

    /** The reported crash (issue 20): it now computes, bit for bit, what the reference computes. */
    @Test
    void layersOnAMappedWeightsFileSurviveItsTruncation() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(), "layer");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.crashReports().isEmpty(), r::toString);
        assertEquals("reference results after truncation", r.outcome(), r::toString);
    }

    @Test
    void preparingFromATruncatedMappingThrowsIllegalStateException() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(), "prepare-truncated");
        assertEquals(0, r.exitCode(), r::toString);
        String outcome = r.outcome();
        assertTrue(outcome != null && outcome.startsWith("IllegalStateException: weights segment")
                && outcome.contains("faulted while being copied")
                && outcome.contains("cause java.lang.InternalError"), r::toString);
    }

    /**
     * The private copy of mapped weights is native memory the JDK counts against {@code -XX:MaxDirectMemorySize}
     * (by default the maximum heap size): beyond it, preparing throws the JDK's {@link OutOfMemoryError}, and
     * nothing else is affected.
     */
    @Test
    void copiesOfMappedWeightsCountAgainstTheDirectMemoryLimit() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of("-XX:MaxDirectMemorySize=1m"), "prepare-direct-limit");
        assertEquals(0, r.exitCode(), r::toString);
        String outcome = r.outcome();
        assertTrue(outcome != null && outcome.startsWith("OutOfMemoryError: Cannot reserve 41943")
                && outcome.contains("bytes of direct buffer memory") && outcome.endsWith("; heap weights still work"),
                r::toString);
    }

    /**
     * A workspace that cannot grow: the call throws {@link OutOfMemoryError}, its output segment is untouched, the
     * workspace goes back to the pool, and the next call computes the reference result.
     */
    @Test
    void aWorkspaceThatCannotGrowThrowsOutOfMemoryErrorAndTheLayerStaysUsable() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx48m"), "workspace-oom");
        assertEquals(0, r.exitCode(), r::toString);
        String outcome = r.outcome();
        assertTrue(outcome != null && outcome.startsWith("OutOfMemoryError: Java heap space")
                && outcome.endsWith("; output untouched; idle workspaces 1 -> 1; next call equals the reference"),
                r::toString);
    }
}
