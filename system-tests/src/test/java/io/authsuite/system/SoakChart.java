package io.authsuite.system;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A small line chart (PNG) of the soak's samples: one line per series, MB over seconds. Plain AWT, headless. */
final class SoakChart {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private SoakChart() {
    }

    /** {@code series}: name -> values (MB), one per entry of {@code seconds}. */
    static void write(Path file, String title, List<Long> seconds, Map<String, List<Double>> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 900;
        int height = 480;
        int left = 70;
        int right = 220;
        int top = 40;
        int bottom = 50;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double maxY = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        maxY = Math.max(1, Math.ceil(maxY * 1.1 / 50) * 50);
        long maxX = Math.max(1, seconds.isEmpty() ? 1 : seconds.getLast());
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.setColor(Color.BLACK);
        g.drawString(title, left, 24);
        g.drawLine(left, top, left, top + plotH);
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - plotH * i / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(left + 1, y, left + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f MB", maxY * i / 5), 8, y + 4);
            int x = left + plotW * i / 5;
            g.drawString(String.format("%d s", maxX * i / 5), x - 10, top + plotH + 18);
        }
        int n = 0;
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            Color color = COLORS[n % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            List<Double> values = s.getValue();
            for (int i = 1; i < values.size(); i++) {
                g.drawLine(left + (int) (plotW * seconds.get(i - 1) / (double) maxX),
                        top + plotH - (int) (plotH * values.get(i - 1) / maxY),
                        left + (int) (plotW * seconds.get(i) / (double) maxX),
                        top + plotH - (int) (plotH * values.get(i) / maxY));
            }
            g.fillRect(left + plotW + 20, top + 10 + n * 22, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), left + plotW + 40, top + 22 + n * 22);
            n++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
