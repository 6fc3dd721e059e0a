package dev.qlanes.jmh.report;

import dev.qlanes.jmh.accuracy.AccuracyReport;
import dev.qlanes.jmh.accuracy.AccuracyResult;

/** The accuracy report (float vs hybrid vs full-integer, docs/accuracy.md) as a section of the benchmark report. */
final class AccuracySection {
    private AccuracySection() {}

    static void append(Document doc) {
        System.out.println("qlanes: computing the accuracy section (float vs hybrid vs full-integer)");
        AccuracyResult result = AccuracyReport.run();
        doc.raw(result.markdownSection(), result.htmlSection());
        result.charts().forEach(doc::file);
    }
}
