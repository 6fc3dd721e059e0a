package dev.qlanes.jmh.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as a list of blocks (headings, paragraphs, tables, SVG charts), rendered once to Markdown (charts
 * as linked {@code .svg} files) and once to a self-contained HTML page (charts inline).
 */
final class Document {
    private sealed interface Block permits Heading, Paragraph, Table, Chart, Raw {}

    private record Heading(int level, String text) implements Block {}

    private record Paragraph(String text) implements Block {}

    private record Table(List<String> header, List<List<String>> rows) implements Block {}

    private record Chart(String name, String svg) implements Block {}

    private record Raw(String markdown, String html) implements Block {}

    private final List<Block> blocks = new ArrayList<>();
    private final List<String[]> chartFiles = new ArrayList<>();

    Document heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    Document paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Document table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(header, rows));
        return this;
    }

    /** A chart; {@code name} becomes its file name ({@code name.svg}) beside the Markdown report. */
    Document chart(String name, String svg) {
        blocks.add(new Chart(name, svg));
        chartFiles.add(new String[] {name + ".svg", svg});
        return this;
    }

    /** Appends pre-rendered Markdown/HTML sections written elsewhere (e.g. the accuracy report). */
    Document raw(String markdown, String html) {
        blocks.add(new Raw(markdown, html));
        return this;
    }

    /** An extra file written beside the Markdown (e.g. charts referenced by a {@link #raw} section). */
    Document file(String name, String content) {
        chartFiles.add(new String[] {name, content});
        return this;
    }

    /** {@code [file name, svg]} of every chart, for writing beside the Markdown. */
    List<String[]> chartFiles() {
        return chartFiles;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                case Paragraph p -> sb.append(p.text()).append("\n\n");
                case Raw r -> sb.append(r.markdown()).append("\n\n");
                case Table t -> {
                    sb.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                    sb.append("---|".repeat(t.header().size())).append('\n');
                    for (List<String> row : t.rows()) {
                        sb.append("| ").append(String.join(" | ", row)).append(" |\n");
                    }
                    sb.append('\n');
                }
                case Chart c -> sb.append("![").append(c.name()).append("](").append(c.name()).append(".svg)\n\n");
            }
        }
        return sb.toString();
    }

    String html(String title) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;"
                        + "margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}"
                        + "td:first-child,th:first-child{text-align:left}code{background:#f3f3f3}</style>"
                        + "</head><body>\n");
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append("<h").append(h.level()).append('>').append(escape(h.text()))
                        .append("</h").append(h.level()).append(">\n");
                case Paragraph p -> sb.append("<p>").append(inline(p.text())).append("</p>\n");
                case Raw r -> sb.append(r.html()).append('\n');
                case Table t -> {
                    sb.append("<table><tr>");
                    t.header().forEach(h -> sb.append("<th>").append(inline(h)).append("</th>"));
                    sb.append("</tr>\n");
                    for (List<String> row : t.rows()) {
                        sb.append("<tr>");
                        row.forEach(cell -> sb.append("<td>").append(inline(cell)).append("</td>"));
                        sb.append("</tr>\n");
                    }
                    sb.append("</table>\n");
                }
                case Chart c -> sb.append("<div>").append(c.svg()).append("</div>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Escapes, then renders Markdown's {@code `code`} and {@code **bold**}. */
    private static String inline(String s) {
        return escape(s).replaceAll("`([^`]*)`", "<code>$1</code>").replaceAll("\\*\\*([^*]*)\\*\\*", "<b>$1</b>");
    }
}
