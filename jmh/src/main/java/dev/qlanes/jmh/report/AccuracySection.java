package dev.qlanes.jmh.report;

import dev.qlanes.jmh.accuracy.AccuracyReport;
import dev.qlanes.jmh.accuracy.AccuracyResult;
import dev.qlanes.jmh.markdown.Markdown;

/** The accuracy report (float vs hybrid vs full-integer, docs/accuracy.md) as a section of the benchmark report. */
final class AccuracySection {
    private AccuracySection() {}

    static void append(Markdown doc) {
        System.out.println("qlanes: computing the accuracy section (float vs hybrid vs full-integer)");
        AccuracyResult result = AccuracyReport.run();
        doc.append(result.section(""));
    }
}
