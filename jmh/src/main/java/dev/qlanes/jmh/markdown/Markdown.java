package dev.qlanes.jmh.markdown;

import dev.qlanes.jmh.svg.SvgCharts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.CoreHtmlNodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A report written once, as GitHub-flavoured Markdown (headings, paragraphs, tables, SVG charts, code blocks),
 * from which the self-contained HTML page is derived with commonmark-java: charts are linked {@code .svg} files
 * in the Markdown and inlined {@code <svg>} elements in the HTML. Paragraph, heading and cell texts are inline
 * Markdown; wrap values that come from data (labels, CPU names, other machines' files) in {@link #text}.
 */
public final class Markdown {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    /** Characters that are Markdown syntax anywhere in a line (emphasis, code, links, escapes). */
    private static final Pattern SYNTAX = Pattern.compile("[\\\\`*\\[\\]]|(?<![\\p{L}\\p{N}])_|_(?![\\p{L}\\p{N}])"
            + "|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)");

    private final StringBuilder markdown = new StringBuilder();
    private final Map<String, String> charts = new LinkedHashMap<>();

    /** {@code plain} as inline Markdown that renders as exactly that text (its syntax characters escaped). */
    public static String text(String plain) {
        return SYNTAX.matcher(plain).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    }

    public Markdown heading(int level, String text) {
        return block("#".repeat(level) + " " + text);
    }

    public Markdown paragraph(String text) {
        return block(text);
    }

    /** A GFM table; cells are inline Markdown, with any {@code |} escaped here so it cannot split a cell. */
    public Markdown table(List<String> header, List<List<String>> rows) {
        StringBuilder t = new StringBuilder();
        row(t, header);
        t.append('|').append("---|".repeat(header.size())).append('\n');
        rows.forEach(r -> row(t, r));
        return block(t.toString().stripTrailing());
    }

    private static void row(StringBuilder t, List<String> cells) {
        t.append("| ").append(String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()))
                .append(" |\n");
    }

    /**
     * An SVG chart: an image linking {@code target} in the Markdown, the SVG itself inline in the HTML. The caller
     * writes the file ({@link #charts()}).
     */
    public Markdown chart(String alt, String target, String svg) {
        charts.put(target, svg);
        return block("![" + text(alt) + "](" + target + ")");
    }

    /** A fenced code block. */
    public Markdown code(String language, String code) {
        return block("```" + language + "\n" + code + "\n```");
    }

    /** Appends another document's blocks and charts (e.g. the accuracy report as a section). */
    public Markdown append(Markdown section) {
        charts.putAll(section.charts);
        markdown.append(section.markdown);
        return this;
    }

    private Markdown block(String text) {
        markdown.append(text).append("\n\n");
        return this;
    }

    /** The charts, link target → SVG document, for writing beside the Markdown. */
    public Map<String, String> charts() {
        return charts;
    }

    public String markdown() {
        return markdown.toString().stripTrailing() + "\n";
    }

    /**
     * A self-contained HTML page: the Markdown rendered by commonmark-java (GFM tables; any raw HTML in the text
     * is escaped, never passed through), charts inlined.
     */
    public String html(String title, String css) {
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
                .nodeRendererFactory(InlineCharts::new).build();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + SvgCharts.escape(title)
                + "</title>\n<style>" + css + "</style></head><body>\n" + renderer.render(PARSER.parse(markdown()))
                + "</body></html>\n";
    }

    /** Renders images whose target is one of this document's charts as the chart's SVG, others as usual. */
    private final class InlineCharts implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final CoreHtmlNodeRenderer core;

        InlineCharts(HtmlNodeRendererContext context) {
            this.context = context;
            this.core = new CoreHtmlNodeRenderer(context);
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Image.class);
        }

        @Override
        public void render(Node node) {
            String svg = charts.get(((Image) node).getDestination());
            if (svg == null) {
                core.render(node);
            } else {
                context.getWriter().raw(svg);
            }
        }
    }
}
