package dev.qlanes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of kernel cases, {@code kernel-cases.txt} beside this class (its header is the grammar), as the
 * kernels tests read it: each case's family (lane bits, tile, twin) and shape. The benchmark bindings and gate
 * ratios on each line are the jmh module's ({@code dev.qlanes.jmh.cases.KernelCases} reads and validates all of
 * it); a twin reader here keeps kernels' tests free of any jmh dependency, and both read the one file.
 */
final class KernelCases {
    private KernelCases() {}

    /** A {@code kernel} line: the family, its lane width in bits, its tile ({@code nr = 0}: one row per lane). */
    record Family(String id, String kernel, int laneBits, int mr, int nr, List<String> twin) {
        /** Weight rows per pass for a vector of {@code step} elements. */
        int rowTile(int step) {
            return nr == 0 ? step : nr;
        }
    }

    /** A case line's id, family and shape ({@code 1x1xN} for a dot product of length N). */
    record Case(String id, Family family, int batch, int rows, int cols) {
        long macs() {
            return (long) batch * rows * cols;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static final Pattern KERNEL = Pattern.compile(
            "kernel\\s+(\\S+?)(-gemv|-gemm)?\\s+lane=(16|32)\\s+tile=(\\d+)x(\\d+|L)\\s+twin=([A-Z]\\w*)\\.(\\S+)");
    private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)x(\\d+)|(\\d+)");

    /** Every case of the registry, in file order. */
    static List<Case> all() {
        return parse(read());
    }

    /** Every family of the registry, in file order. */
    static List<Family> families() {
        Map<String, Family> families = new LinkedHashMap<>();
        parse(read(), families);
        return new ArrayList<>(families.values());
    }

    private static String read() {
        try (InputStream in = KernelCases.class.getResourceAsStream("kernel-cases.txt")) {
            if (in == null) {
                throw new IllegalStateException("kernel-cases.txt is missing beside " + KernelCases.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String text) {
        return parse(text, new LinkedHashMap<>());
    }

    private static List<Case> parse(String text, Map<String, Family> families) {
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "kernel-cases.txt line " + (i + 1) + ": ";
            if (line.startsWith("kernel")) {
                Matcher m = KERNEL.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException(where + "expected kernel FAMILY lane=BITS tile=MRxNR twin=C.m: "
                            + line);
                }
                String id = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                List<String> twin = new ArrayList<>();
                for (String method : m.group(7).split("\\+")) {
                    twin.add(m.group(6) + "." + method);
                }
                families.put(id, new Family(id, m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                        m.group(5).equals("L") ? 0 : Integer.parseInt(m.group(5)), List.copyOf(twin)));
                continue;
            }
            String id = line.split("\\s+")[0];
            Family family = null;
            for (Family f : families.values()) {
                if (id.startsWith(f.id() + "-") && (family == null || f.id().length() > family.id().length())) {
                    family = f;
                }
            }
            if (family == null) {
                throw new IllegalArgumentException(where + "case " + id + " names no declared kernel family");
            }
            Matcher s = SHAPE.matcher(id.substring(family.id().length() + 1));
            if (!s.matches()) {
                throw new IllegalArgumentException(where + "case " + id + ": expected LENGTH or BxRxC after the family");
            }
            cases.add(s.group(4) != null ? new Case(id, family, 1, 1, Integer.parseInt(s.group(4)))
                    : new Case(id, family, Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)),
                            Integer.parseInt(s.group(3))));
        }
        return cases;
    }
}
