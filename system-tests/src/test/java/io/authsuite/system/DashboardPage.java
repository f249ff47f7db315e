package io.authsuite.system;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the panels of a Grafana dashboard from Prometheus' answers to their queries, laid out by the dashboard's own
 * grid (24 columns, rows of 30 px), as one HTML page with an SVG chart per panel. Grafana itself is packaged neither
 * for Debian nor on Maven Central, so the dashboard test renders what Grafana would query; the queries, layout,
 * titles, units and legends all come from the dashboard JSON.
 */
final class DashboardPage {

    static final int WIDTH = 1600;
    private static final int ROW = 30;
    private static final double COLUMN = WIDTH / 24.0;
    private static final String[] COLOURS = {"#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#B877D9",
        "#5794F2", "#FADE2A", "#96D98D", "#FFB357"};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One line of a panel: its legend and its points as (epoch seconds, value), NaN where there is none. */
    record Series(String legend, double[][] points) {
    }

    record Panel(String title, String unit, int x, int y, int w, int h, List<Series> series) {
    }

    private DashboardPage() {
    }

    /** Grafana's {@code {{label}}} legend template, filled from one series' labels. */
    static String legend(String format, Map<String, String> labels) {
        if (format == null || format.isBlank()) {
            return labels.toString();
        }
        Matcher m = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}").matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
        }
        return m.appendTail(out).toString();
    }

    static int height(List<Panel> panels) {
        return panels.stream().mapToInt(p -> (p.y() + p.h()) * ROW).max().orElse(0) + 48;
    }

    static String html(String title, List<Panel> panels, Instant start, Instant end) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><style>
                body{margin:0;overflow:hidden;background:#111217;color:#ccccdc;font:12px Inter,Helvetica,Arial,sans-serif}
                header{height:40px;line-height:40px;padding:0 12px;font-size:16px}
                header small{color:#8e8e9b;margin-left:12px;font-size:12px}
                .grid{position:relative;width:%dpx}
                .panel{position:absolute;box-sizing:border-box;border:1px solid #2c3235;background:#181b1f;border-radius:2px}
                .panel h2{margin:0;padding:6px 8px;font-size:13px;font-weight:500}
                .legend{padding:0 8px;display:flex;flex-wrap:wrap;gap:0 14px;max-height:48px;overflow:hidden;line-height:16px}
                .legend span{white-space:nowrap}
                .legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
                svg text{fill:#8e8e9b;font-size:10px}
                </style></head><body>
                """.formatted(escape(title), WIDTH));
        html.append("<header>").append(escape(title)).append("<small>").append(CLOCK.format(start)).append(" to ")
                .append(CLOCK.format(end)).append(" UTC, from Prometheus, queries and layout of the dashboard JSON")
                .append("</small></header><div class=\"grid\" style=\"height:").append(height(panels)).append("px\">");
        for (Panel panel : panels) {
            panel(html, panel, start.getEpochSecond(), end.getEpochSecond());
        }
        return html.append("</div></body></html>").toString();
    }

    private static void panel(StringBuilder html, Panel panel, long from, long to) {
        int left = (int) Math.round(panel.x() * COLUMN) + 4;
        int top = panel.y() * ROW + 4;
        int width = (int) Math.round(panel.w() * COLUMN) - 8;
        int height = panel.h() * ROW - 8;
        // About 6.5 px a character at 12 px, plus the swatch, value and gap of each entry.
        double legendWidth = panel.series().stream().mapToDouble(s -> (s.legend().length() + 10) * 6.5 + 30).sum();
        int legendRows = (int) Math.min(3, Math.max(1, Math.ceil(legendWidth / (width - 16))));
        int plotWidth = width - 2;
        int plotHeight = height - 30 - 16 * legendRows - 4;
        html.append("<div class=\"panel\" style=\"left:%dpx;top:%dpx;width:%dpx;height:%dpx\"><h2>%s</h2>"
                .formatted(left, top, width, height, escape(panel.title())));
        double max = 0;
        double min = 0;
        for (Series s : panel.series()) {
            for (double[] p : s.points()) {
                if (!Double.isNaN(p[1]) && !Double.isInfinite(p[1])) {
                    max = Math.max(max, p[1]);
                    min = Math.min(min, p[1]);
                }
            }
        }
        if (max == min) {
            max = min + 1;
        }
        int axis = 58;
        int bottom = 16;
        double chartW = plotWidth - axis - 8;
        double chartH = plotHeight - bottom - 4;
        html.append("<svg width=\"%d\" height=\"%d\">".formatted(plotWidth, plotHeight));
        for (int i = 0; i <= 4; i++) {
            double value = min + (max - min) * i / 4;
            double y = 4 + chartH - chartH * i / 4;
            html.append("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#2c3235\"/>"
                    .formatted(axis, axis + chartW, y, y));
            html.append("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                    .formatted(axis - 6, y + 3, escape(format(value, panel.unit()))));
        }
        for (int i = 0; i <= 4; i++) {
            long t = from + (to - from) * i / 4;
            double x = axis + chartW * i / 4;
            html.append("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>".formatted(x, plotHeight - 3.0,
                    i == 4 ? "end" : "middle", CLOCK.format(Instant.ofEpochSecond(t))));
        }
        double span = Math.max(1, to - from);
        int colour = 0;
        for (Series s : panel.series()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (double[] p : s.points()) {
                if (Double.isNaN(p[1]) || Double.isInfinite(p[1])) {
                    pen = false;
                    continue;
                }
                double x = axis + chartW * (p[0] - from) / span;
                double y = 4 + chartH - chartH * (p[1] - min) / (max - min);
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                pen = true;
            }
            html.append("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                    .formatted(path.toString().trim(), stroke));
        }
        html.append("</svg>");
        html.append("<div class=\"legend\">");
        colour = 0;
        for (Series s : panel.series()) {
            double last = Double.NaN;
            for (double[] p : s.points()) {
                if (!Double.isNaN(p[1])) {
                    last = p[1];
                }
            }
            html.append("<span><i style=\"background:%s\"></i>%s <b>%s</b></span>"
                    .formatted(COLOURS[colour++ % COLOURS.length], escape(s.legend()), escape(format(last, panel.unit()))));
        }
        if (panel.series().isEmpty()) {
            html.append("<span>No data</span>");
        }
        html.append("</div></div>");
    }

    static String format(double value, String unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        String number;
        double abs = Math.abs(value);
        if ("s".equals(unit)) {
            if (abs >= 3600) {
                return String.format(Locale.ROOT, "%.1f h", value / 3600);
            }
            if (abs >= 1 || abs == 0) {
                return String.format(Locale.ROOT, "%.2f s", value);
            }
            return abs >= 0.001 ? String.format(Locale.ROOT, "%.1f ms", value * 1000)
                    : String.format(Locale.ROOT, "%.0f µs", value * 1e6);
        }
        number = abs >= 1000 ? String.format(Locale.ROOT, "%.1fK", value / 1000)
                : abs >= 10 || abs == 0 ? String.format(Locale.ROOT, "%.0f", value)
                : abs >= 1 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.3f", value);
        return "reqps".equals(unit) ? number + " req/s" : number;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
