package dev.midplane.xen.sxp;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A file of S-expressions such as {@code xend-config.sxp}, edited the way a person would: the
 * comments, blank lines and layout between and around expressions are kept, unchanged expressions
 * keep their exact text, and {@link #render()} of a parsed document returns the parsed text
 * unchanged. Immutable; {@link #with} and {@link #without} return changed copies.
 */
public final class SxpDocument {
  /** A piece of the file: text between expressions, or an expression with the text it came from. */
  private record Piece(String trivia, Sxp expression, String source, int line) {
    boolean isExpression() {
      return expression != null;
    }
  }

  /** Marks where an expression was dropped, so the line break after it goes too. */
  private static final Piece DROP = new Piece("", null, null, 0);

  private final List<Piece> pieces;
  private final String sourceName;

  private SxpDocument(List<Piece> pieces, String sourceName) {
    this.pieces = List.copyOf(pieces);
    this.sourceName = sourceName;
  }

  /** Parses {@code text}; errors name {@code sourceName} with line and column. */
  public static SxpDocument parse(String text, String sourceName) {
    List<Piece> pieces = new ArrayList<>();
    int cursor = 0;
    for (SxpReader.Parsed p : new SxpReader(text, sourceName).readAll()) {
      pieces.add(new Piece(text.substring(cursor, p.start()), null, null, 0));
      pieces.add(new Piece(null, p.expression(), text.substring(p.start(), p.end()), p.line()));
      cursor = p.end();
    }
    pieces.add(new Piece(text.substring(cursor), null, null, 0));
    return new SxpDocument(pieces, sourceName);
  }

  /** Reads and parses a file (UTF-8). */
  public static SxpDocument read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new MidplaneException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** An empty document. */
  public static SxpDocument empty(String sourceName) {
    return new SxpDocument(List.of(new Piece("", null, null, 0)), sourceName);
  }

  /** What the document was read from (for messages). */
  public String sourceName() {
    return sourceName;
  }

  /** The top-level expressions, in order. */
  public List<Sxp> expressions() {
    return pieces.stream().filter(Piece::isExpression).map(Piece::expression).toList();
  }

  /** The first top-level list whose head is {@code head}. */
  public Optional<SxpList> find(String head) {
    return expressions().stream()
        .filter(e -> e instanceof SxpList l && l.head().filter(head::equals).isPresent())
        .map(e -> (SxpList) e)
        .findFirst();
  }

  /** The 1-based line the {@code index}-th top-level expression starts on; 0 if it was not parsed from text. */
  public int lineOf(int index) {
    return pieces.stream().filter(Piece::isExpression).skip(index).findFirst()
        .map(Piece::line).orElseThrow(() -> new IndexOutOfBoundsException(index));
  }

  /** The 1-based line the first {@code (head ...)} starts on; 0 if absent or not parsed from text. */
  public int lineOf(String head) {
    return pieces.stream()
        .filter(p -> p.isExpression() && p.expression() instanceof SxpList l && l.head().filter(head::equals).isPresent())
        .mapToInt(Piece::line).findFirst().orElse(0);
  }

  /**
   * This document with the first {@code (head ...)} replaced by {@code expression} (in place, its
   * surroundings kept) and any later ones removed; appended on a line of its own if there was none.
   */
  public SxpDocument with(String head, SxpList expression) {
    if (!expression.head().filter(head::equals).isPresent()) {
      throw new IllegalArgumentException("the expression's head must be " + head + ": " + expression);
    }
    List<Piece> out = new ArrayList<>();
    boolean done = false;
    for (Piece p : pieces) {
      if (matches(p, head)) {
        if (!done) {
          out.add(new Piece(null, expression, null, p.line()));
          done = true;
        } else {
          removeLine(out);
        }
        continue;
      }
      out.add(p);
    }
    if (!done) {
      Piece last = out.remove(out.size() - 1);
      String trivia = last.trivia();
      if (!trivia.isEmpty() && !trivia.endsWith("\n")) {
        trivia += "\n";
      } else if (trivia.isEmpty() && out.size() > 0) {
        trivia = "\n";
      }
      out.add(new Piece(trivia, null, null, 0));
      out.add(new Piece(null, expression, null, 0));
      out.add(new Piece("\n", null, null, 0));
    }
    return new SxpDocument(merge(out), sourceName);
  }

  /** This document without any {@code (head ...)} at the top level (each with its line). */
  public SxpDocument without(String head) {
    List<Piece> out = new ArrayList<>();
    for (Piece p : pieces) {
      if (matches(p, head)) {
        removeLine(out);
      } else {
        out.add(p);
      }
    }
    return new SxpDocument(merge(out), sourceName);
  }

  private static boolean matches(Piece p, String head) {
    return p.isExpression() && p.expression() instanceof SxpList l && l.head().filter(head::equals).isPresent();
  }

  /**
   * Marks the expression being dropped: the trivia after it loses its first line break, so the
   * line the expression stood on disappears with it.
   */
  private static void removeLine(List<Piece> out) {
    out.add(DROP);
  }

  private static List<Piece> merge(List<Piece> in) {
    List<Piece> out = new ArrayList<>();
    boolean dropNext = false;
    for (Piece p : in) {
      if (p == DROP) {
        dropNext = true;
        continue;
      }
      if (!p.isExpression()) {
        String t = p.trivia();
        if (dropNext) {
          t = t.startsWith("\r\n") ? t.substring(2) : t.startsWith("\n") ? t.substring(1) : t;
          dropNext = false;
        }
        if (!out.isEmpty() && !out.get(out.size() - 1).isExpression()) {
          Piece prev = out.remove(out.size() - 1);
          t = prev.trivia() + t;
        }
        out.add(new Piece(t, null, null, 0));
      } else {
        dropNext = false;
        out.add(p);
      }
    }
    return out;
  }

  /** The document's text: the parsed text for what did not change, rendered expressions for what did. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (Piece p : pieces) {
      if (!p.isExpression()) {
        b.append(p.trivia());
      } else if (p.source() != null) {
        b.append(p.source());
      } else {
        b.append(Sxp.render(p.expression()));
      }
    }
    return b.toString();
  }

  /** Writes {@link #render()} atomically, keeping the previous file as {@code <name>.bak}. */
  public void write(Path file) {
    AtomicFiles.write(file, render());
  }

  /** Equal when the expressions and the text between them are equal. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SxpDocument d) || d.pieces.size() != pieces.size()) {
      return false;
    }
    for (int i = 0; i < pieces.size(); i++) {
      Piece a = pieces.get(i);
      Piece b = d.pieces.get(i);
      if (!Objects.equals(a.trivia(), b.trivia()) || !Objects.equals(a.expression(), b.expression())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expressions());
  }

  @Override
  public String toString() {
    return render();
  }
}
