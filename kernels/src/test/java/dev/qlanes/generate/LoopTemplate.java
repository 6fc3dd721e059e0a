package dev.qlanes.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands one loop template into the Java classes it declares, so that a family of loops that must be written out
 * once per memory kind (C2 boxes a vector passed to a helper it does not inline, so shared helpers are not an option)
 * still has one source. Run from the repository root, with nothing but a JDK:
 * <pre>
 *   java kernels/src/test/java/dev/qlanes/generate/LoopTemplate.java            # rewrite every generated file
 *   java kernels/src/test/java/dev/qlanes/generate/LoopTemplate.java --check    # exit 1 if one is stale
 * </pre>
 * ({@code scripts/generate-loops.sh} does the first; {@code GeneratedLoopsTest} the second, in every build.)
 *
 * <h2>Template language</h2>
 * Directive lines start with {@code @@} (after indentation); every other line is copied, after expansion.
 * <ul>
 *   <li>{@code @@ text}: a comment about the template, not copied;</li>
 *   <li>{@code @@param NAME VALUE}: a number or word used as {@code ${NAME}} and as a repeat count;</li>
 *   <li>{@code @@variant CLASS PATH FLAG... KEY=VALUE...}: one output class at {@code PATH} (from the repository
 *       root); {@code ${CLASS}} is its name, its flags are tested by {@code @@if}, its keys substituted as
 *       {@code ${KEY}};</li>
 *   <li>{@code @@if COND} / {@code @@else} / {@code @@end}: lines for variants with (or, {@code !FLAG}, without) a flag
 *       or class name; conditions nest;</li>
 *   <li>{@code @@repeat VAR COUNT} ... {@code @@end}: the lines once per {@code VAR = 0 .. COUNT-1} ({@code COUNT} a
 *       number or a parameter), {@code $VAR} replaced by the number;</li>
 *   <li>{@code @@define NAME(A, B) BODY}: a macro for the variants the enclosing {@code @@if} selects; {@code
 *       @NAME(x, y)} in a line becomes {@code BODY} with {@code A}, {@code B} replaced (arguments split at
 *       top-level commas).</li>
 * </ul>
 */
public final class LoopTemplate {
    private LoopTemplate() {}

    /** Every template of the repository, relative to its root. */
    public static final List<Path> TEMPLATES = List.of(Path.of("kernels/src/template/DotLoops.java.template"),
            Path.of("kernels/src/template/BlendTransposeTiles.java.template"));

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern MACRO_CALL = Pattern.compile("@([a-z][A-Za-z0-9]*)\\(");

    private record Variant(String className, Path path, Set<String> flags, Map<String, String> keys) {}

    private record Macro(List<String> parameters, String body) {}

    public static void main(String[] args) throws IOException {
        boolean check = args.length > 0 && args[0].equals("--check");
        Path root = Path.of("").toAbsolutePath();
        int stale = 0;
        for (Path template : TEMPLATES) {
            for (Map.Entry<Path, String> output : render(root, template).entrySet()) {
                Path file = root.resolve(output.getKey());
                boolean same = Files.exists(file) && Files.readString(file).equals(output.getValue());
                if (same) {
                    continue;
                }
                if (check) {
                    System.err.println("stale: " + output.getKey());
                    stale++;
                } else {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, output.getValue(), StandardCharsets.UTF_8);
                    System.out.println("wrote " + output.getKey());
                }
            }
        }
        if (stale > 0) {
            System.err.println(stale + " generated file(s) differ from their template: run scripts/generate-loops.sh");
            System.exit(1);
        }
    }

    /** The generated files of {@code template} (relative to {@code root}), keyed by their path from {@code root}. */
    public static Map<Path, String> render(Path root, Path template) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve(template), StandardCharsets.UTF_8);
        Map<String, String> params = new HashMap<>();
        List<Variant> variants = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("@@param")) {
                params.put(words[1], words[2]);
            } else if (words[0].equals("@@variant")) {
                Map<String, String> keys = new HashMap<>();
                Set<String> flags = new java.util.HashSet<>();
                for (int i = 3; i < words.length; i++) {
                    int eq = words[i].indexOf('=');
                    if (eq > 0) {
                        keys.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                    } else {
                        flags.add(words[i]);
                    }
                }
                flags.add(words[1]);
                variants.add(new Variant(words[1], Path.of(words[2]), flags, keys));
            }
        }
        Map<Path, String> outputs = new LinkedHashMap<>();
        for (Variant variant : variants) {
            Map<String, String> values = new HashMap<>(params);
            values.putAll(variant.keys());
            values.put("CLASS", variant.className());
            values.put("TEMPLATE", template.toString().replace('\\', '/'));
            StringBuilder out = new StringBuilder();
            expand(lines, 0, lines.size(), variant, values, new HashMap<>(), Map.of(), out);
            outputs.put(variant.path(), out.toString());
        }
        return outputs;
    }

    /** Expands {@code lines[from, to)} for one variant; returns nothing, appends to {@code out}. */
    private static void expand(List<String> lines, int from, int to, Variant variant, Map<String, String> values,
            Map<String, Macro> macros, Map<String, Integer> counters, StringBuilder out) {
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            String[] words = line.strip().split("\\s+", 2);
            switch (words[0]) {
                case "@@", "@@param", "@@variant" -> { } // "@@" alone starts a template comment
                case "@@define" -> {
                    int open = words[1].indexOf('(');
                    int close = words[1].indexOf(')');
                    List<String> parameters = words[1].substring(open + 1, close).isBlank() ? List.of()
                            : List.of(words[1].substring(open + 1, close).split("\\s*,\\s*"));
                    macros.put(words[1].substring(0, open), new Macro(parameters, words[1].substring(close + 1).strip()));
                }
                case "@@if" -> {
                    int end = matchingEnd(lines, i);
                    int otherwise = elseOf(lines, i, end);
                    String cond = words[1].strip();
                    boolean holds = cond.startsWith("!") ? !variant.flags().contains(cond.substring(1))
                            : variant.flags().contains(cond);
                    if (holds) {
                        expand(lines, i + 1, otherwise < 0 ? end : otherwise, variant, values, macros, counters, out);
                    } else if (otherwise >= 0) {
                        expand(lines, otherwise + 1, end, variant, values, macros, counters, out);
                    }
                    i = end;
                }
                case "@@repeat" -> {
                    int end = matchingEnd(lines, i);
                    String[] spec = words[1].split("\\s+");
                    int count = Integer.parseInt(values.getOrDefault(spec[1], spec[1]));
                    for (int k = 0; k < count; k++) {
                        Map<String, Integer> inner = new HashMap<>(counters);
                        inner.put(spec[0], k);
                        expand(lines, i + 1, end, variant, values, macros, inner, out);
                    }
                    i = end;
                }
                case "@@else", "@@end" -> throw new IllegalStateException("unmatched " + words[0] + " at line " + (i + 1));
                default -> out.append(expandLine(line, values, macros, counters)).append('\n');
            }
        }
    }

    private static String expandLine(String line, Map<String, String> values, Map<String, Macro> macros,
            Map<String, Integer> counters) {
        String result = line;
        for (Map.Entry<String, Integer> counter : counters.entrySet()) {
            result = result.replaceAll("\\$" + counter.getKey() + "(?![A-Za-z0-9_])", counter.getValue().toString());
        }
        result = substitute(result, values);
        Matcher call;
        while ((call = MACRO_CALL.matcher(result)).find()) {
            Macro macro = macros.get(call.group(1));
            if (macro == null) {
                throw new IllegalStateException("undefined macro @" + call.group(1) + " in: " + line.strip());
            }
            int end = closingParen(result, call.end());
            List<String> args = splitArgs(result.substring(call.end(), end));
            if (args.size() != macro.parameters().size()) {
                throw new IllegalStateException("@" + call.group(1) + " takes " + macro.parameters().size()
                        + " arguments: " + line.strip());
            }
            String body = macro.body();
            for (int p = 0; p < args.size(); p++) {
                body = body.replaceAll("\\b" + Pattern.quote(macro.parameters().get(p)) + "\\b",
                        Matcher.quoteReplacement(args.get(p)));
            }
            result = result.substring(0, call.start()) + substitute(body, values) + result.substring(end + 1);
        }
        return result;
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher m = SUBSTITUTION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("undefined ${" + m.group(1) + "} in: " + text.strip());
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        return m.appendTail(sb).toString();
    }

    private static int closingParen(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced macro call: " + s.strip());
    }

    private static List<String> splitArgs(String s) {
        List<String> args = new ArrayList<>();
        if (s.isBlank()) {
            return args;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        args.add(s.substring(start).strip());
        return args;
    }

    private static int matchingEnd(List<String> lines, int open) {
        int depth = 0;
        for (int i = open; i < lines.size(); i++) {
            String w = lines.get(i).strip().split("\\s+", 2)[0];
            if (w.equals("@@if") || w.equals("@@repeat")) {
                depth++;
            } else if (w.equals("@@end") && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no @@end for line " + (open + 1));
    }

    /** The {@code @@else} of the {@code @@if} at {@code open} (not of a nested one), or -1. */
    private static int elseOf(List<String> lines, int open, int end) {
        int depth = 0;
        for (int i = open + 1; i < end; i++) {
            String w = lines.get(i).strip().split("\\s+", 2)[0];
            if (w.equals("@@if") || w.equals("@@repeat")) {
                depth++;
            } else if (w.equals("@@end")) {
                depth--;
            } else if (w.equals("@@else") && depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
