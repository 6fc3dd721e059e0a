package dev.qlanes.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;

/**
 * The report's results come from the objects JMH's runner returns in this JVM; the JSON file JMH writes beside
 * them (read back for {@code render}) gives the same results.
 */
class RunTest {
    static {
        // Another JMH run on this machine (a colleague's benchmark) must not stop this tiny in-process one.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void resultsFromTheRunnerMatchJmhsOwnJsonFile(@TempDir Path dir) throws Exception {
        Profile tiny = new Profile("test", "one scalar dot product in this JVM", List.of(), 0, 10, 2, 50, 0, true);
        Path json = dir.resolve("jmh.json");
        Collection<RunResult> runResults = BenchmarkReport.measure(tiny, List.of("DotProductBenchmark\\.reference$"),
                Map.of("length", List.of("64")), json);
        List<Run.Result> results = Run.results(runResults);

        assertEquals(1, results.size());
        Run.Result r = results.get(0);
        RunResult raw = runResults.iterator().next();
        assertEquals("DotProductBenchmark", r.benchmark());
        assertEquals("reference", r.method());
        assertEquals(Map.of("length", "64"), r.params());
        assertEquals("ns/op", raw.getPrimaryResult().getScoreUnit());
        assertEquals(raw.getPrimaryResult().getStatistics().getPercentile(50), r.medianNs());
        assertEquals(raw.getPrimaryResult().getScoreError(), r.errorNs());
        assertTrue(r.medianNs() > 0, r.toString());
        assertEquals(raw.getSecondaryResults().get("gc.alloc.rate.norm").getScore(), r.allocBytesPerOp());
        assertTrue(r.allocBytesPerOp() >= 0, "the GC profiler ran: " + r);

        assertTrue(Files.size(json) > 0, "JMH's JSON is still written for later comparisons");
        assertEquals(results, Run.parseResults(Files.readString(json)));
        assertEquals(results, Run.load(json).results());
    }

    @Test
    void readsOtherMachinesJsonInAnyTimeUnit() {
        String json = """
                [ {
                    "jmhVersion" : "1.36", "benchmark" : "dev.qlanes.jmh.FullyConnectedBenchmark.qlanes",
                    "mode" : "avgt", "params" : { "shape" : "1x1024x1024", "path" : "FULL_INTEGER" },
                    "primaryMetric" : { "score" : 2.5, "scoreError" : "NaN", "scoreUnit" : "us/op",
                        "scorePercentiles" : { "0.0" : 2.0, "50.0" : 2.25, "100.0" : 3.0 }, "rawData" : [ [ 2.5 ] ] },
                    "secondaryMetrics" : { "·gc.alloc.rate.norm" : { "score" : 16.0, "scoreUnit" : "B/op" } }
                }, {
                    "benchmark" : "dev.qlanes.jmh.DotProductBenchmark.qlanes",
                    "params" : { "length" : "1024" },
                    "primaryMetric" : { "score" : 0.5, "scoreError" : 0.01, "scoreUnit" : "ms/op" },
                    "secondaryMetrics" : { }
                } ]
                """;
        List<Run.Result> results = Run.parseResults(json);
        assertEquals(new Run.Result("FullyConnectedBenchmark", "qlanes",
                Map.of("shape", "1x1024x1024", "path", "FULL_INTEGER"), 2250, Double.NaN, 16), results.get(0));
        assertEquals(new Run.Result("DotProductBenchmark", "qlanes", Map.of("length", "1024"), 500_000, 10_000,
                Double.NaN), results.get(1), "without percentiles the score stands in for the median");
    }
}
