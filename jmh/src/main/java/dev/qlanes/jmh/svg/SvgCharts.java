package dev.qlanes.jmh.svg;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal self-contained SVG charts, shared by the benchmark and accuracy reports (no scripts, no external fonts or styles), so that the HTML report is
 * one file and the Markdown report can link plain {@code .svg} files. The y axis always starts at 0 so
 * that bar heights and line heights can be compared by eye.
 */
public final class SvgCharts {
    private SvgCharts() {}

    private static final int WIDTH = 800;
    private static final int HEIGHT = 380;
    private static final int LEFT = 64;
    private static final int RIGHT = 210; // legend column, wide enough for HYBRID_ASYMMETRIC
    private static final int TOP = 40;
    private static final int BOTTOM = 64;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f"};

    /**
     * One line per series over categorical x positions (equally spaced, e.g. input sizes on a log scale).
     * Non-finite values are left out of their line.
     */
    public static String lineChart(String title, String xTitle, String yTitle, List<String> xLabels,
            Map<String, double[]> series) {
        double yMax = niceMax(series);
        StringBuilder svg = open(title);
        axes(svg, xTitle, yTitle, yMax);
        int count = xLabels.size();
        double plotW = WIDTH - LEFT - RIGHT;
        for (int i = 0; i < count; i++) {
            double x = LEFT + plotW * (i + 0.5) / count;
            text(svg, x, HEIGHT - BOTTOM + 18, "middle", 12, xLabels.get(i));
        }
        int s = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String color = COLORS[s % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < count; i++) {
                double v = e.getValue()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = LEFT + plotW * (i + 0.5) / count;
                double y = yOf(v, yMax);
                points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                svg.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y))
                        .append("\" r=\"3.5\" fill=\"").append(color).append("\"><title>").append(escape(e.getKey()))
                        .append(": ").append(String.format(Locale.ROOT, "%.1f", v)).append("</title></circle>\n");
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
            legend(svg, s++, color, e.getKey());
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * Grouped bars: one group per category, one bar per series inside each group. A category label may
     * contain {@code '\n'} to break it over two lines.
     */
    public static String barChart(String title, String xTitle, String yTitle, List<String> groups,
            Map<String, double[]> series) {
        double yMax = niceMax(series);
        StringBuilder svg = open(title);
        axes(svg, xTitle, yTitle, yMax);
        double plotW = WIDTH - LEFT - RIGHT;
        double groupW = plotW / groups.size();
        double barW = groupW * 0.8 / series.size();
        for (int g = 0; g < groups.size(); g++) {
            double center = LEFT + groupW * (g + 0.5);
            String[] lines = groups.get(g).split("\n");
            for (int l = 0; l < lines.length; l++) {
                text(svg, center, HEIGHT - BOTTOM + 16 + 13 * l, "middle", 11, lines[l]);
            }
        }
        int s = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String color = COLORS[s % COLORS.length];
            for (int g = 0; g < groups.size(); g++) {
                double v = e.getValue()[g];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = LEFT + groupW * g + groupW * 0.1 + barW * s;
                double y = yOf(Math.max(0, v), yMax);
                svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                        .append(fmt(barW)).append("\" height=\"").append(fmt(HEIGHT - BOTTOM - y))
                        .append("\" fill=\"").append(color).append("\"><title>").append(escape(e.getKey()))
                        .append(": ").append(String.format(Locale.ROOT, "%.1f", v)).append("</title></rect>\n");
            }
            legend(svg, s++, color, e.getKey());
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" role=\"img\">\n");
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 22, "start", 15, title);
        return svg;
    }

    private static void axes(StringBuilder svg, String xTitle, String yTitle, double yMax) {
        double step = yMax <= 50 ? 10 : yMax <= 100 ? 20 : 50;
        for (double v = 0; v <= yMax + 1e-9; v += step) {
            double y = yOf(v, yMax);
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#ddd\"/>\n");
            text(svg, LEFT - 6, y + 4, "end", 11, String.format(Locale.ROOT, "%.0f", v));
        }
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"#333\"/>\n");
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                .append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"#333\"/>\n");
        svg.append("<text x=\"16\" y=\"").append(fmt((TOP + HEIGHT - BOTTOM) / 2.0))
                .append("\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
                .append(fmt((TOP + HEIGHT - BOTTOM) / 2.0)).append(")\">").append(escape(yTitle)).append("</text>\n");
        if (xTitle != null) {
            text(svg, LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 10, "middle", 12, xTitle);
        }
    }

    private static void legend(StringBuilder svg, int index, String color, String name) {
        double x = WIDTH - RIGHT + 16;
        double y = TOP + 8 + 20 * index;
        svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y - 9)).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(color).append("\"/>\n");
        text(svg, x + 18, y + 1, "start", 12, name);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String s) {
        svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" font-size=\"")
                .append(size).append("\" text-anchor=\"").append(anchor).append("\">").append(escape(s))
                .append("</text>\n");
    }

    private static double yOf(double v, double yMax) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * Math.min(v, yMax) / yMax;
    }

    /** The largest finite value rounded up to a multiple of 10 (at least 10). */
    private static double niceMax(Map<String, double[]> series) {
        double max = 0;
        for (double[] values : series.values()) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return Math.max(10, Math.ceil(max / 10.0) * 10);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** XML text escaping, also used by the HTML renderer. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
