package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * Every {@code @Param} list that selects a kernel case (the fallback for a bare JMH command line) is exactly the
 * registry's cases of that benchmark, in registry order: a shape added to {@code kernel-cases.txt} and not here, or
 * here and not there, fails.
 */
class BenchmarkParamsTest {

    @Test
    void paramDefaultsAreTheRegistrysCases() {
        KernelCases registry = KernelCases.registry();
        int checked = 0;
        for (Bench bench : Bench.values()) {
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            for (KernelCase c : registry.measuredBy(bench)) {
                bench.params(c).forEach((k, v) -> expected.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
            }
            for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                Param param = param(bench.benchmarkClass(), e.getKey());
                assertNotNull(param, bench.benchmark() + " has no @Param " + e.getKey());
                assertEquals(new ArrayList<>(e.getValue()), List.of(param.value()),
                        bench.benchmark() + " @Param " + e.getKey() + " vs kernel-cases.txt");
                checked++;
            }
        }
        assertEquals(12, checked, "parameters compared (dot, fc ×2, peers, layer, small, floor ×2, readfloor, "
                + "threadfloor, xnnpack, gemmfloor)");
    }

    /** The {@code @Param} field {@code name} of {@code benchmark} or one of its nested state classes. */
    private static Param param(Class<?> benchmark, String name) {
        List<Class<?>> classes = new ArrayList<>(List.of(benchmark));
        classes.addAll(List.of(benchmark.getDeclaredClasses()));
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(Param.class)) {
                    return f.getAnnotation(Param.class);
                }
            }
        }
        return null;
    }
}
