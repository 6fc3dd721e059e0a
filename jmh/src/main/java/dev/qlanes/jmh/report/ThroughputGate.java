package dev.qlanes.jmh.report;

import dev.qlanes.Kernels;
import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.GateRatio;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The CI throughput gate: measures the {@link Profile#GATE} benchmarks and fails when a throughput
 * <em>ratio</em> measured in this run falls more than {@link #MARGIN} below its committed baseline. The ratios are
 * the {@code gate=} fields of the registry's cases ({@code kernel-cases.txt}); their baselines are keyed by case id. Absolute
 * times vary too much across shared machines to gate on; ratios of two implementations measured in the same
 * JVM run on the same machine do not (much).
 *
 * <p>A neighbour on a shared machine can still slow one benchmark for the seconds it is measured: a CI run once read
 * the 1024-element dot product at 57 ± 78 ns in a fork whose other ratios all held, where a quiet fork reads ~38. So a
 * ratio below its minimum is measured again, alone, in {@link #CONFIRM_FORKS} fresh forks, and the gate fails only
 * when that second measurement is below the minimum too: a real regression shows in both, a noisy second fails
 * nothing it should not.
 */
final class ThroughputGate {
    private ThroughputGate() {}

    /** A ratio may fall this far below its baseline (a shared 2-core machine moves ratios by ~10-20%). */
    static final double MARGIN = 0.30;
    /** Where the baseline lives in the source tree (relative to the repository root), for deliberate updates. */
    static final Path BASELINE_SOURCE = Path.of("jmh/src/main/resources/gate-baseline.properties");
    private static final String BASELINE_RESOURCE = "/gate-baseline.properties";
    /** Forks of the confirmation run: enough that one noisy fork cannot carry the median (~35 s per ratio). */
    static final int CONFIRM_FORKS = 3;
    /**
     * The most ratios measured again in one run (~35 s each): a burst slows a few benchmarks, while more failing ratios
     * point to a real regression, and confirming all thirteen would add ~8 minutes to CI.
     */
    static final int MAX_CONFIRMED = 4;

    /**
     * The gated ratios, one per {@code gate=} ratio of each gated registry case, keyed {@code ID.FAST/SLOW} (e.g.
     * {@code qs8-dot-1024.qlanes/lucene}), in registry order; a ratio whose results are missing is NaN (and fails).
     */
    static Map<String, Double> ratios(Run run, KernelCases registry) {
        Map<String, Double> r = new LinkedHashMap<>();
        for (KernelCase c : registry.gated()) {
            Bench bench = c.gateBench().orElseThrow();
            for (GateRatio g : c.gate()) {
                r.put(c.gateKey(g), ratio(run, bench.benchmark(), g.slow(), g.fast(), bench.params(c)));
            }
        }
        return r;
    }

    /** How many times faster {@code fast} is than {@code slow}: median time of slow / median time of fast. */
    private static double ratio(Run run, String benchmark, String slow, String fast, Map<String, String> params) {
        double s = run.find(benchmark, slow, params).map(Run.Result::medianNs).orElse(Double.NaN);
        double f = run.find(benchmark, fast, params).map(Run.Result::medianNs).orElse(Double.NaN);
        return s / f;
    }

    static int run(List<String> args) throws Exception {
        boolean update = args.remove("--update-baseline");
        KernelCases registry = KernelCases.registry();
        Run run = new Run("gate", Map.of(), Run.results(BenchmarkReport.measure(Profile.GATE, null)));
        Map<String, Double> measured = ratios(run, registry);
        if (update) {
            writeBaseline(measured);
            return 0;
        }
        return confirm(measured, loadBaseline(), keys -> remeasure(registry, keys));
    }

    /**
     * Checks {@code measured} against {@code baseline}, first measuring again (with {@code remeasure}) the ratios
     * below their minimum, at most {@link #MAX_CONFIRMED} of them; their second values decide. Prints the table and
     * returns the exit status.
     */
    static int confirm(Map<String, Double> measured, Map<String, Double> baseline,
            Function<Set<String>, Map<String, Double>> remeasure) {
        Set<String> below = new TreeSet<>();
        measured.forEach((k, v) -> {
            if (!holds(v, baseline.get(k))) {
                below.add(k);
            }
        });
        if (below.isEmpty()) {
            return check(measured, baseline);
        }
        if (below.size() > MAX_CONFIRMED) {
            System.out.printf(Locale.ROOT, "%nqlanes gate: %d ratios below their minimum, more than the %d measured again;"
                    + " failing on this measurement%n", below.size(), MAX_CONFIRMED);
            return check(measured, baseline);
        }
        System.out.println();
        for (String k : below) {
            System.out.printf(Locale.ROOT, "qlanes gate: %s measured %.2f, below its minimum; measuring it again%n", k,
                    measured.get(k));
        }
        Map<String, Double> again = remeasure.apply(below);
        Map<String, Double> confirmed = new LinkedHashMap<>(measured);
        below.forEach(k -> confirmed.put(k, again.getOrDefault(k, Double.NaN)));
        System.out.println("qlanes gate: the table shows the second measurement of " + below);
        return check(confirmed, baseline);
    }

    /** Whether {@code ratio} holds against {@code base}: no baseline, or at most {@link #MARGIN} below it (NaN fails). */
    private static boolean holds(double ratio, Double base) {
        return base == null || ratio >= base * (1 - MARGIN);
    }

    /**
     * Measures the gated ratios named by {@code keys} again, each case alone (its own parameters) with the gate's
     * settings in {@link #CONFIRM_FORKS} forks.
     */
    private static Map<String, Double> remeasure(KernelCases registry, Set<String> keys) {
        Profile confirm = Profile.GATE.withForks(CONFIRM_FORKS);
        Map<String, Double> r = new LinkedHashMap<>();
        for (KernelCase c : registry.gated()) {
            Bench bench = c.gateBench().orElseThrow();
            for (GateRatio g : c.gate()) {
                if (!keys.contains(c.gateKey(g))) {
                    continue;
                }
                Map<String, List<String>> params = new LinkedHashMap<>();
                bench.params(c).forEach((name, value) -> params.put(name, List.of(value)));
                try {
                    Run again = new Run("confirm", Map.of(), Run.results(BenchmarkReport.measure(confirm,
                            List.of("\\." + bench.benchmark() + "\\.(" + g.fast() + "|" + g.slow() + ")$"), params,
                            null)));
                    r.put(c.gateKey(g), ratio(again, bench.benchmark(), g.slow(), g.fast(), bench.params(c)));
                } catch (RunnerException e) {
                    throw new IllegalStateException("measuring " + c.gateKey(g) + " again failed", e);
                }
            }
        }
        return r;
    }

    /** Prints the table and returns the exit status: 0 when every ratio holds, 1 otherwise. */
    static int check(Map<String, Double> measured, Map<String, Double> baseline) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-60s %9s %9s %9s  %s%n", "ratio (higher is better)", "measured", "baseline",
                "minimum", "verdict");
        int failures = 0;
        for (Map.Entry<String, Double> e : measured.entrySet()) {
            Double base = baseline.get(e.getKey());
            double min = base == null ? Double.NaN : base * (1 - MARGIN);
            boolean ok = holds(e.getValue(), base);
            if (!ok) {
                failures++;
            }
            System.out.printf(Locale.ROOT, "%-60s %9.2f %9s %9s  %s%n", e.getKey(), e.getValue(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", base),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", min),
                    base == null ? "no baseline" : ok ? "ok" : "REGRESSED");
        }
        System.out.printf(Locale.ROOT, "%nmargin: a ratio fails when it falls more than %.0f%% below its baseline.%n",
                MARGIN * 100);
        System.out.println("To update the baseline deliberately (after an intended change, on the CI machine kind): "
                + "./bench gate --update-baseline, then commit " + BASELINE_SOURCE + ".");
        if (failures > 0) {
            System.out.println("qlanes gate: " + failures + " ratio(s) regressed");
            return 1;
        }
        System.out.println("qlanes gate: all ratios within margin");
        return 0;
    }

    /** The committed baseline for the kernels' width in this JVM ({@link #baselineFor}). */
    static Map<String, Double> loadBaseline() throws IOException {
        try (InputStream in = ThroughputGate.class.getResourceAsStream(BASELINE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BASELINE_RESOURCE + " is missing from the benchmarks jar");
            }
            Properties p = new Properties();
            p.load(in);
            int bits = Kernels.info().vectorBitSize();
            System.out.println("qlanes gate: baselines for " + bits + "-bit kernels");
            return baselineFor(p, bits);
        }
    }

    /**
     * The baseline at kernel width {@code vectorBits}: a key {@code ID@BITS} (e.g.
     * {@code f32-fc-seq-gemm-16x1024x1024.qlanes/reference@256}) stands for {@code ID} at that width and is ignored at
     * others; a plain {@code ID} holds at every width without one. Some kernels exist at some widths only (the float
     * path's register transposes need 512 bits), so their ratios differ between CPUs by design, not by noise.
     */
    static Map<String, Double> baselineFor(Properties p, int vectorBits) {
        Map<String, Double> m = new TreeMap<>();
        String suffix = "@" + vectorBits;
        for (String k : p.stringPropertyNames()) {
            if (!k.contains("@")) {
                m.putIfAbsent(k, Double.parseDouble(p.getProperty(k)));
            } else if (k.endsWith(suffix)) {
                m.put(k.substring(0, k.length() - suffix.length()), Double.parseDouble(p.getProperty(k)));
            }
        }
        return m;
    }

    private static void writeBaseline(Map<String, Double> measured) throws IOException {
        StringBuilder sb = new StringBuilder("# CI throughput gate baseline: ratios of medians measured in one run\n"
                + "# (higher is better). Written by ./bench gate --update-baseline; review before committing.\n");
        measured.forEach((k, v) -> sb.append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v))
                .append('\n'));
        Properties committed = new Properties(); // width-specific entries (ID@BITS) are kept: they are set by hand
        if (Files.exists(BASELINE_SOURCE)) {
            try (var reader = Files.newBufferedReader(BASELINE_SOURCE)) {
                committed.load(reader);
            }
        }
        committed.stringPropertyNames().stream().filter(k -> k.contains("@")).sorted()
                .forEach(k -> sb.append(k).append('=').append(committed.getProperty(k)).append('\n'));
        Files.writeString(BASELINE_SOURCE, sb.toString());
        System.out.println(sb);
        System.out.println("qlanes gate: baseline written to " + BASELINE_SOURCE);
        new Properties().load(new StringReader(sb.toString())); // the file must stay loadable
    }
}
