package dev.qlanes.jmh.cases;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel family of the registry (a {@code kernel} line of {@code kernel-cases.txt}): its name in the fixed
 * grammar {@code TYPES-OP[-VARIANT][-TILE]} (e.g. {@code qs8-fc-int8out-gemv}), the bits of one element in its
 * vector lanes, its tile and its reference twin. The benchmarks need the name's parts; the kernels tester derives
 * its shapes from the rest, which is validated here too so that the one file stays valid for both readers.
 *
 * @param id       the family name, e.g. {@code f32-qs8w-fc-hybrid_asym-gemm}
 * @param types    {@code qs8}, {@code f32-qs8w} or {@code f32}
 * @param op       {@code dot} or {@code fc}
 * @param variant  what the kernel computes beyond the op, e.g. {@code int8out}; empty when the name has none
 * @param tileName {@code gemv} (batch 1), {@code gemm} (batch &gt; 1), or empty (no tile: a dot product)
 * @param laneBits bits per element in the kernel's lanes, 16 or 32
 * @param tile     {@code MRxNR}, activation rows × weight rows per pass ({@code L}: one per lane), e.g. {@code 1x4}
 * @param twin     the reference operation(s), {@code Class.method} each, in {@code dev.qlanes.reference}
 */
public record KernelFamily(String id, String types, String op, String variant, String tileName, int laneBits,
        String tile, List<String> twin) {

    /** The tile name of a family that runs on one activation row (batch 1). */
    static final String GEMV = "gemv";

    /** The family grammar; a variant cannot be a tile name, so every name splits one way. */
    static final Pattern GRAMMAR = Pattern.compile(
            "(qs8|f32-qs8w|f32)-(dot|fc)(?:-((?!gemv$|gemm$)[a-z0-9_]+))?(?:-(gemv|gemm))?");
    private static final Pattern TILE = Pattern.compile("[1-9]\\d*x([1-9]\\d*|L)");
    private static final Pattern TWIN = Pattern.compile("[A-Z]\\w*\\.[a-z]\\w*(\\+[a-z]\\w*)*");

    /** Parses the fields of a {@code kernel} line after the keyword, e.g. {@code qs8-dot lane=16 tile=1x1 twin=...}. */
    static KernelFamily parse(String id, String lane, String tile, String twin) {
        Matcher m = GRAMMAR.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("kernel family '" + id + "', expected TYPES-OP[-VARIANT][-TILE] with "
                    + "TYPES qs8|f32-qs8w|f32, OP dot|fc, TILE gemv|gemm, e.g. qs8-fc-int8out-gemv");
        }
        if (!lane.equals("16") && !lane.equals("32")) {
            throw new IllegalArgumentException("lane = " + lane + " in kernel " + id + ", expected 16 or 32 (bits)");
        }
        if (!TILE.matcher(tile).matches()) {
            throw new IllegalArgumentException("tile = " + tile + " in kernel " + id + ", expected MRxNR, e.g. 1x4 or 1xL");
        }
        if (!TWIN.matcher(twin).matches()) {
            throw new IllegalArgumentException("twin = " + twin + " in kernel " + id
                    + ", expected Class.method[+method...], e.g. PortableTensorUtils.dotProduct");
        }
        String cls = twin.substring(0, twin.indexOf('.'));
        List<String> methods = List.of(twin.substring(cls.length() + 1).split("\\+"));
        return new KernelFamily(id, m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3),
                m.group(4) == null ? "" : m.group(4), Integer.parseInt(lane), tile,
                methods.stream().map(x -> cls + "." + x).toList());
    }

    /** The family without its tile name, e.g. {@code qs8-fc-int8out} for {@code qs8-fc-int8out-gemv}. */
    public String kernel() {
        return tileName.isEmpty() ? id : id.substring(0, id.length() - tileName.length() - 1);
    }

    /** Whether this family is a dot product: its shape is one length. */
    public boolean isDot() {
        return op.equals("dot");
    }
}
