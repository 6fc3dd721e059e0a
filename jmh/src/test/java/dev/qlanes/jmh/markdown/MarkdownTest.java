package dev.qlanes.jmh.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one report writer: GFM Markdown, and the HTML commonmark-java derives from it. */
class MarkdownTest {

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void writesGfmBlocks() {
        Markdown md = new Markdown().heading(1, "Title").paragraph("Some **bold** `code`.")
                .table(List.of("a", "b"), List.of(List.of("1", "2"))).code("sh", "ls -l");
        assertEquals("# Title\n\nSome **bold** `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nls -l\n```\n",
                md.markdown());
    }

    @Test
    void tableCellsEscapeLessThanAmpersandAndPipe() {
        Markdown md = new Markdown().table(List.of("run", "value"), List.of(
                List.of(Markdown.text("lab <A> & B|C"), "1 < 2 & 3"),
                List.of("`x | y`", Markdown.text("&amp; <b>bold</b> *not* [link](x)"))));
        String html = md.html("t", "");
        assertEquals(1, count(html, "<table>"));
        assertEquals(4, count(html, "<td>"), "a '|' inside a cell does not split it: " + html);
        assertTrue(html.contains("<td>lab &lt;A&gt; &amp; B|C</td>"), html);
        assertTrue(html.contains("<td>1 &lt; 2 &amp; 3</td>"), html);
        assertTrue(html.contains("<td><code>x | y</code></td>"), html);
        assertTrue(html.contains("<td>&amp;amp; &lt;b&gt;bold&lt;/b&gt; *not* [link](x)</td>"), html);
        assertTrue(md.markdown().contains("| lab \\<A> & B\\|C | 1 < 2 & 3 |"), md.markdown());
    }

    @Test
    void rawHtmlInTheMarkdownIsEscapedNotPassedThrough() {
        String html = new Markdown().paragraph("a <script>alert(1)</script> b").html("t", "");
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    @Test
    void textRendersAsExactlyThatText() {
        for (String plain : List.of("avx2 avx512_vnni sse4_1", "_a_ *b* `c` \\d [e](f) <g> &h; &#36; x*y",
                "Eclipse Adoptium 25+36-LTS", "µs – 1x1024x1024 {length=64}")) {
            String html = new Markdown().paragraph(Markdown.text(plain)).html("t", "");
            String expected = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            assertTrue(html.contains("<p>" + expected + "</p>"), plain + " → " + html);
        }
        assertEquals("avx2 avx512_vnni sse4_1", Markdown.text("avx2 avx512_vnni sse4_1"),
                "underscores inside words are not emphasis and stay unescaped");
    }

    @Test
    void chartsAreLinkedInMarkdownAndInlinedInHtml() {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title></svg>";
        Markdown section = new Markdown().heading(2, "Section").chart("a chart", "charts/a.svg", svg);
        Markdown md = new Markdown().heading(1, "Doc").append(section);
        assertTrue(md.markdown().contains("![a chart](charts/a.svg)"), md.markdown());
        assertEquals(svg, md.charts().get("charts/a.svg"));
        String html = md.html("Doc & co", "body{margin:0}");
        assertTrue(html.contains(svg), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("<title>Doc &amp; co</title>"), html);
        assertTrue(html.contains("<style>body{margin:0}</style>"), html);
        assertTrue(html.contains("<h1>Doc</h1>") && html.contains("<h2>Section</h2>"), html);
    }
}
