package io.nowmesh.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart on a log-10 axis, drawn with AWT in headless mode (no plotting library here):
 * one group per category (load level), one bar per series (system × percentile). NaN = no bar.
 */
public final class BarChart {
  private static final int W = 1100;
  private static final int H = 620;
  private static final int LEFT = 90;
  private static final int RIGHT = 230;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;

  private BarChart() {}

  public static void render(Path file, String title, String yLabel, List<String> categories, List<String> series,
      List<Color> colors, double[][] values) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);

    double min = Double.MAX_VALUE;
    double max = 0;
    for (double[] row : values) {
      for (double v : row) {
        if (v > 0 && !Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (max == 0) {
      min = 0.1;
      max = 1;
    }
    int lo = (int) Math.floor(Math.log10(min));
    int hi = (int) Math.ceil(Math.log10(max));
    if (hi == lo) {
      hi++;
    }
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;

    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(title, LEFT, 32);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();

    // log grid: one line per decade, labelled
    for (int d = lo; d <= hi; d++) {
      int y = TOP + plotH - (int) Math.round((double) (d - lo) / (hi - lo) * plotH);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      String label = Math.pow(10, d) >= 1 ? String.format("%,.0f", Math.pow(10, d)) : String.valueOf(Math.pow(10, d));
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 5);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.5f));
    g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
    g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
    Graphics2D rot = (Graphics2D) g.create();
    rot.rotate(-Math.PI / 2);
    rot.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), 22);
    rot.dispose();

    int groups = categories.size();
    int groupW = plotW / Math.max(1, groups);
    int barW = Math.max(4, (groupW - 30) / Math.max(1, series.size()));
    for (int c = 0; c < groups; c++) {
      int gx = LEFT + c * groupW + 15;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][c];
        if (Double.isNaN(v) || v <= 0) {
          continue;
        }
        double frac = (Math.log10(v) - lo) / (hi - lo);
        int h = (int) Math.round(Math.max(0, frac) * plotH);
        g.setColor(colors.get(s));
        g.fillRect(gx + s * barW, TOP + plotH - h, barW - 2, h);
      }
      g.setColor(Color.BLACK);
      String cat = categories.get(c);
      g.drawString(cat, LEFT + c * groupW + groupW / 2 - fm.stringWidth(cat) / 2, TOP + plotH + 22);
    }
    g.drawString("offered load", LEFT + plotW / 2 - fm.stringWidth("offered load") / 2, TOP + plotH + 50);

    int ly = TOP + 10;
    for (int s = 0; s < series.size(); s++) {
      g.setColor(colors.get(s));
      g.fillRect(W - RIGHT + 20, ly + s * 24, 16, 16);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), W - RIGHT + 44, ly + s * 24 + 13);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
