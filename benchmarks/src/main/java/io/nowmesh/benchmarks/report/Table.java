package io.nowmesh.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured markdown table, built row by row. */
public final class Table {
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = header;
  }

  public Table row(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.length);
    }
    rows.add(cells);
    return this;
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    line(b, header);
    b.append('|');
    for (int i = 0; i < header.length; i++) {
      b.append("---|");
    }
    b.append('\n');
    rows.forEach(r -> line(b, r));
    return b.toString().stripTrailing();
  }

  private static void line(StringBuilder b, String[] cells) {
    b.append('|');
    for (String c : cells) {
      b.append(' ').append(c).append(" |");
    }
    b.append('\n');
  }
}
