package dev.qlanes.jmh.report;

import dev.qlanes.Kernels;
import dev.qlanes.jmh.nativeanchor.NativeAnchor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a benchmark run ran on: CPU model and the SIMD flags that matter for int8 work, cores, JDK, the Vector
 * API's preferred width, the kernel implementation in use, and the code path the native anchor compiled to on this
 * machine (AVX-512, AVX2, VNNI or portable C: it depends on the CPU and the C compiler). Written beside each result
 * file, so that runs from other machines can be rendered side by side.
 */
final class Fingerprint {
    private Fingerprint() {}

    /** CPU flags worth showing: x86 SIMD levels and int8 dot-product extensions, ARM NEON/SVE/dot product. */
    private static final List<String> SIMD_FLAGS = List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8", "asimd", "asimddp",
            "sve", "sve2", "i8mm");

    static Map<String, String> collect(String label) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("cpu", cpuModel());
        m.put("simd", simdFlags());
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("kernels", Kernels.info().toString());
        m.put("vectorBits", Integer.toString(Kernels.info().vectorBitSize()));
        m.put(NATIVE_ANCHOR, nativeAnchor());
        m.put("nativeAnchorBuild", NativeAnchor.compilerDescription());
        return m;
    }

    /** Key of the native anchor's kernel path in {@code machine.json}. */
    static final String NATIVE_ANCHOR = "nativeAnchor";

    /**
     * The kernel path the native anchor compiled to here, e.g. {@code avx2: vpmovsxbw + vpmaddwd, 256-bit}, or why
     * it is unavailable. Builds it (once per JVM) with the same compiler and flags the benchmark forks use.
     */
    static String nativeAnchor() {
        return NativeAnchor.available() ? NativeAnchor.isa() : "unavailable: " + NativeAnchor.unavailableReason();
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The CPU model name, or the architecture when {@code /proc/cpuinfo} does not say. */
    static String cpuModel() {
        for (String line : cpuinfo().split("\n")) {
            if (line.startsWith("model name") || line.startsWith("Model") || line.startsWith("CPU part")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String simdFlags() {
        TreeSet<String> present = new TreeSet<>();
        for (String line : cpuinfo().split("\n")) {
            if (line.startsWith("flags") || line.startsWith("Features")) {
                for (String flag : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    if (SIMD_FLAGS.contains(flag)) {
                        present.add(flag);
                    }
                }
                break;
            }
        }
        return present.isEmpty() ? "unknown" : String.join(" ", present);
    }
}
