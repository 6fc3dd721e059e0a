package dev.qlanes.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Profiles take their benchmarks and parameters from the registry, and JMH runs exactly the registry's cases: the
 * product of a profile's parameter values per benchmark (what JMH runs) is its set of cases, no more.
 */
class ProfileTest {

    private static final KernelCases REGISTRY = KernelCases.registry();
    private static final List<Profile> PROFILES = List.of(Profile.DEFAULT, Profile.FULL, Profile.GATE,
            Profile.LAYERS, Profile.MODELS, Profile.GEMM);

    @Test
    void eachProfileRunsExactlyItsCases() {
        int grids = 0;
        for (Profile profile : PROFILES) {
            Map<String, List<String>> params = profile.params(REGISTRY);
            for (Bench bench : REGISTRY.benches(profile.name())) {
                Set<Map<String, String>> listed = new HashSet<>();
                for (KernelCase c : REGISTRY.cases()) {
                    if (c.in(profile.name(), bench)) {
                        listed.add(bench.params(c));
                    }
                }
                List<String> names = new ArrayList<>(listed.iterator().next().keySet());
                assertEquals(listed, grid(names, params), profile.name() + " × " + bench.benchmark()
                        + ": JMH's grid of the profile's values must be exactly the cases kernel-cases.txt marks");
                grids++;
            }
        }
        assertEquals(3 + 5 + 2 + 2 + 4, grids, "benchmarks checked: default 3, full 5, gate 2, layers 2, gemm 4");
    }

    private static Set<Map<String, String>> grid(List<String> names, Map<String, List<String>> params) {
        Set<Map<String, String>> out = new HashSet<>();
        out.add(Map.of());
        for (String name : names) {
            Set<Map<String, String>> next = new HashSet<>();
            for (Map<String, String> partial : out) {
                for (String v : params.get(name)) {
                    Map<String, String> m = new HashMap<>(partial);
                    m.put(name, v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** What each profile ran before the registry (hard-coded then): the registry must select the same. */
    @Test
    void theProfilesSelectWhatTheyDidBeforeTheRegistry() {
        assertEquals(Map.of("length", List.of("64", "1024", "4096", "65536"),
                "shape", List.of("1x1024x1024", "16x1024x1024", "1x8192x8192"),
                "path", List.of("HYBRID", "HYBRID_ASYMMETRIC", "FULL_INTEGER", "FLOAT"),
                "gemvShape", List.of("1x1024x1024", "16x1024x1024")), Profile.DEFAULT.params(REGISTRY));
        assertEquals(List.of("\\.DotProductBenchmark\\.", "\\.FullyConnectedBenchmark\\.", "\\.PeerGemvBenchmark\\.",
                "\\.ModelBenchmark\\."), Profile.DEFAULT.includes(REGISTRY));
        // the gate gained batch 64 and the float path (issue 19) after the registry replaced the hard-coded lists
        assertEquals(Map.of("length", List.of("1024", "4096"), "shape", List.of("1x1024x1024", "16x1024x1024",
                "64x1024x1024"), "path", List.of("HYBRID_ASYMMETRIC", "FULL_INTEGER", "FLOAT")),
                Profile.GATE.params(REGISTRY));
        assertEquals(List.of("\\.DotProductBenchmark\\.(qlanes|reference|lucene)$",
                "\\.FullyConnectedBenchmark\\.(qlanes|reference)$"), Profile.GATE.includes(REGISTRY));
        // the layers profile gained the small layers (issue 19)
        assertEquals(Map.of("layerShape", List.of("1x1024x1024", "16x1024x1024"), "smallShape", List.of("1x128x640",
                "1x128x128", "1x8x128", "1x128x8", "1x640x128")), Profile.LAYERS.params(REGISTRY));
        assertEquals(List.of("\\.LayerBenchmark\\.", "\\.SmallLayerBenchmark\\."), Profile.LAYERS.includes(REGISTRY));
        assertEquals(List.of("\\.DotProductBenchmark\\.", "\\.FullyConnectedBenchmark\\.", "\\.PeerGemvBenchmark\\.",
                "\\.LayerBenchmark\\.", "\\.XnnpackGemmBenchmark\\.", "\\.ModelBenchmark\\."),
                Profile.FULL.includes(REGISTRY));
        // the gemm profile gained ONNX Runtime, the native anchor, the batch GEMM's floors and the int16 floors at
        // every batch, 1 included (issue 19)
        List<String> gemmShapes = List.of("1x1024x1024", "16x1024x1024", "64x1024x1024", "256x1024x1024",
                "1x4096x1024", "16x4096x1024", "64x4096x1024");
        assertEquals(Map.of("fcShape", gemmShapes, "gemvShape", gemmShapes, "gemmShape", List.of("16x1024x1024",
                "64x1024x1024", "256x1024x1024", "16x4096x1024", "64x4096x1024")), Profile.GEMM.params(REGISTRY));
        assertEquals(List.of("\\.PeerGemvBenchmark\\.", "\\.WideningFloorBenchmark\\.", "\\.XnnpackGemmBenchmark\\.",
                "\\.GemmFloorBenchmark\\."), Profile.GEMM.includes(REGISTRY));
        assertEquals(21, Profile.FULL.params(REGISTRY).get("shape").size());
        assertEquals(Map.of(), Profile.MODELS.params(REGISTRY));
        assertEquals(List.of("\\.ModelBenchmark\\."), Profile.MODELS.includes(REGISTRY));
    }

    @Test
    void everyProfileTheRegistryNamesExists() {
        for (String name : KernelCases.PROFILES) {
            assertEquals(name, Profile.named(name).name());
        }
    }
}
