package dev.qlanes.jmh.cases;

import dev.qlanes.jmh.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of kernel cases, {@code kernel-cases.txt} (kept with the kernels tests, which check every case against
 * its reference twin, and packaged into the benchmarks jar): what the JMH profiles measure, what the gate checks and
 * what the report's rows are. The file's header documents the grammar; this reader rejects any line that does not
 * follow it, naming the line. {@code dev.qlanes.KernelCases} in the kernels tests reads the same file.
 */
public final class KernelCases {

    /** Where the registry is on the class path. */
    public static final String RESOURCE = "/dev/qlanes/kernel-cases.txt";
    /** Profiles a binding may name ({@code full} is implied by a sweep benchmark). */
    public static final Set<String> PROFILES = Set.of("default", KernelCase.GATE, "layers", "gemm");

    private static volatile KernelCases registry;

    private final List<KernelFamily> families;
    private final List<KernelCase> cases;

    private KernelCases(List<KernelFamily> families, List<KernelCase> cases) {
        this.families = List.copyOf(families);
        this.cases = List.copyOf(cases);
    }

    /** The registry in the benchmarks jar, read once. */
    public static KernelCases registry() {
        KernelCases r = registry;
        if (r == null) {
            try (InputStream in = KernelCases.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path (jmh/pom.xml packages "
                            + "it from kernels/src/test/resources)");
                }
                r = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            registry = r;
        }
        return r;
    }

    /** Parses a registry; throws {@link IllegalArgumentException} naming the first bad line. */
    public static KernelCases parse(String text) {
        Map<String, KernelFamily> families = new LinkedHashMap<>();
        Map<String, KernelCase> cases = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                List<String> tokens = Arrays.asList(line.split("\\s+"));
                if (tokens.get(0).equals("kernel")) {
                    KernelFamily f = family(tokens);
                    if (families.putIfAbsent(f.id(), f) != null) {
                        throw new IllegalArgumentException("kernel " + f.id() + " is declared twice");
                    }
                } else {
                    KernelCase c = kernelCase(tokens, families);
                    if (cases.putIfAbsent(c.id(), c) != null) {
                        throw new IllegalArgumentException("case " + c.id() + " is listed twice");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kernel-cases.txt line " + (i + 1) + ": " + e.getMessage()
                        + "\n  " + line, e);
            }
        }
        return new KernelCases(new ArrayList<>(families.values()), new ArrayList<>(cases.values()));
    }

    private static KernelFamily family(List<String> tokens) {
        if (tokens.size() != 5 || !tokens.get(2).startsWith("lane=") || !tokens.get(3).startsWith("tile=")
                || !tokens.get(4).startsWith("twin=")) {
            throw new IllegalArgumentException("expected: kernel FAMILY lane=BITS tile=MRxNR twin=CLASS.METHOD");
        }
        return KernelFamily.parse(tokens.get(1), value(tokens.get(2)), value(tokens.get(3)), value(tokens.get(4)));
    }

    private static String value(String token) {
        return token.substring(token.indexOf('=') + 1);
    }

    private static KernelCase kernelCase(List<String> tokens, Map<String, KernelFamily> families) {
        String id = tokens.get(0);
        KernelFamily family = null;
        for (KernelFamily f : families.values()) { // the longest declared family that prefixes the id
            if (id.startsWith(f.id() + "-") && (family == null || f.id().length() > family.id().length())) {
                family = f;
            }
        }
        if (family == null) {
            throw new IllegalArgumentException("case " + id + " names no declared kernel family (FAMILY-SHAPE)");
        }
        String shapeText = id.substring(family.id().length() + 1);
        Shape shape = shape(family, shapeText);
        if (!family.tileName().isEmpty() && family.tileName().equals(KernelFamily.GEMV) != (shape.batch() == 1)) {
            throw new IllegalArgumentException("case " + id + ": a " + family.tileName() + " case needs batch "
                    + (family.tileName().equals(KernelFamily.GEMV) ? "1" : "> 1") + ", got " + shape.batch());
        }
        Map<Bench, Set<String>> bindings = new EnumMap<>(Bench.class);
        List<GateRatio> gate = new ArrayList<>();
        for (String token : tokens.subList(1, tokens.size())) {
            if (token.startsWith("gate=")) {
                if (!gate.isEmpty()) {
                    throw new IllegalArgumentException("case " + id + " has two gate= fields");
                }
                Arrays.stream(value(token).split(",")).map(GateRatio::parse).forEach(gate::add);
                continue;
            }
            int at = token.indexOf('@');
            Bench bench = Bench.of(at < 0 ? token : token.substring(0, at));
            if (!bench.accepts(family)) {
                throw new IllegalArgumentException(bench.key() + " (" + bench.benchmark() + ") does not measure "
                        + family.id());
            }
            Set<String> profiles = new LinkedHashSet<>();
            if (at >= 0) {
                for (String p : token.substring(at + 1).split(",")) {
                    if (!PROFILES.contains(p)) {
                        throw new IllegalArgumentException("profile '" + p + "', expected one of " + PROFILES
                                + " (full is implied)");
                    }
                    profiles.add(p);
                }
            }
            if (bindings.put(bench, Collections.unmodifiableSet(profiles)) != null) {
                throw new IllegalArgumentException("case " + id + " binds " + bench.key() + " twice");
            }
        }
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException("case " + id + " has no benchmark binding");
        }
        long gated = bindings.values().stream().filter(p -> p.contains(KernelCase.GATE)).count();
        if (gated > 1 || (gated == 1) != !gate.isEmpty()) {
            throw new IllegalArgumentException("case " + id + ": gate= ratios need exactly one binding in @gate, and "
                    + "a binding in @gate needs gate= ratios");
        }
        return new KernelCase(id, family, shapeText, shape, Collections.unmodifiableMap(bindings), List.copyOf(gate));
    }

    private static Shape shape(KernelFamily family, String text) {
        if (family.isDot()) {
            if (!text.matches("[1-9]\\d{0,8}")) {
                throw new IllegalArgumentException("shape '" + text + "' of a " + family.id()
                        + " case, expected a positive LENGTH");
            }
            return new Shape(1, 1, Integer.parseInt(text));
        }
        if (!text.matches("[1-9]\\d{0,8}x[1-9]\\d{0,8}x[1-9]\\d{0,8}")) {
            throw new IllegalArgumentException("shape '" + text + "' of a " + family.id()
                    + " case, expected positive BATCHxROWSxCOLS");
        }
        return Shape.parse(text);
    }

    /** The kernel families, in file order. */
    public List<KernelFamily> families() {
        return families;
    }

    /** Every case, in file order. */
    public List<KernelCase> cases() {
        return cases;
    }

    /** The cases {@code bench} measures in any profile, in file order. */
    public List<KernelCase> measuredBy(Bench bench) {
        return cases.stream().filter(c -> c.bindings().containsKey(bench)).toList();
    }

    /** The cases the CI gate checks, in file order. */
    public List<KernelCase> gated() {
        return cases.stream().filter(c -> c.gateBench().isPresent()).toList();
    }

    /** The benchmarks {@code profile} runs cases with, in declaration order. */
    public Set<Bench> benches(String profile) {
        Set<Bench> set = new LinkedHashSet<>();
        for (Bench b : Bench.values()) {
            if (cases.stream().anyMatch(c -> c.in(profile, b))) {
                set.add(b);
            }
        }
        return set;
    }

    /**
     * The JMH parameters of {@code profile}: each parameter name of its benchmarks → the values its cases need, in
     * file order. JMH runs every benchmark on the product of its parameters' values.
     */
    public Map<String, List<String>> params(String profile) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (KernelCase c : cases) {
            for (Bench b : c.bindings().keySet()) {
                if (c.in(profile, b)) {
                    b.params(c).forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
