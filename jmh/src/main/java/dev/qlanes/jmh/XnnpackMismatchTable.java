package dev.qlanes.jmh;

import dev.qlanes.jmh.peers.OutputMismatch;
import dev.qlanes.jmh.peers.Xnnpack;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.annotations.Param;

/**
 * Where XNNPACK's outputs differ from TFLite's reference, for every shape of {@link XnnpackGemmBenchmark} and on
 * exactly its operands (its own {@code @Setup} code), as a Markdown table on standard output. Nothing is timed:
 * {@code java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.qlanes.jmh.XnnpackMismatchTable [SHAPE...]}. Exits with status 2 when XNNPACK is unavailable.
 */
public final class XnnpackMismatchTable {
    private XnnpackMismatchTable() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        if (!Xnnpack.available()) {
            System.out.println("XNNPACK unavailable: " + Xnnpack.unavailableReason());
            System.exit(2);
        }
        List<String> shapes = args.length > 0 ? List.of(args) : declaredShapes();
        System.out.println("| shape (batch×rows×cols) | qs8: outputs differing from TFLite | qs8: largest difference "
                + "| f32: outputs differing (bits) | f32: largest difference | f32: largest ulps |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String shape : shapes) {
            XnnpackGemmBenchmark.Operands o = new XnnpackGemmBenchmark.Operands();
            o.fcShape = shape;
            o.setUp();
            XnnpackGemmBenchmark.XnnpackQs8 qs8 = new XnnpackGemmBenchmark.XnnpackQs8();
            qs8.setUp(o);
            qs8.tearDown();
            XnnpackGemmBenchmark.XnnpackF32 f32 = new XnnpackGemmBenchmark.XnnpackF32();
            f32.setUp(o);
            f32.tearDown();
            System.out.println(row(shape, qs8.mismatch, f32.mismatch));
        }
    }

    static String row(String shape, OutputMismatch qs8, OutputMismatch f32) {
        return String.format(Locale.ROOT, "| %s | %d of %d (%.2f %%) | %d | %d of %d (%.1f %%) | %.3g | %d |", shape,
                qs8.differing(), qs8.compared(), 100 * qs8.differingFraction(), (long) qs8.largestDifference(),
                f32.differing(), f32.compared(), 100 * f32.differingFraction(), f32.largestDifference(),
                f32.largestUlps());
    }

    /** The benchmark's {@code @Param} list, so that the table always covers what is measured. */
    static List<String> declaredShapes() throws NoSuchFieldException {
        Param p = XnnpackGemmBenchmark.Operands.class.getDeclaredField("fcShape").getAnnotation(Param.class);
        return new ArrayList<>(List.of(p.value()));
    }
}
