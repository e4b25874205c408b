package dev.midplane.multipath.dm;

import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.DevNumber;
import java.util.ArrayList;
import java.util.List;

/** A cursor over the words of a target's parameters, with errors that say which word was wrong. */
final class Words {
  private static final int MAX_COUNT = 1 << 20;
  private final String[] words;
  private final String source;
  private final int line;
  private final String lineText;
  private int next;

  Words(String params, String source, int line, String lineText) {
    String t = params.strip();
    this.words = t.isEmpty() ? new String[0] : t.split("\\s+");
    this.source = source;
    this.line = line;
    this.lineText = lineText;
  }

  MultipathParseException fail(String problem) {
    return new MultipathParseException(source, line, lineText, "word " + Math.min(next + 1, words.length + 1) + ": " + problem);
  }

  boolean hasMore() {
    return next < words.length;
  }

  String word(String what) {
    if (next >= words.length) {
      throw new MultipathParseException(source, line, lineText,
          "cut short: expected " + what + " after word " + words.length);
    }
    return words[next++];
  }

  long number(String what, long min, long max) {
    String w = word(what);
    long n;
    try {
      n = Long.parseLong(w);
    } catch (NumberFormatException e) {
      next--;
      throw fail("expected " + what + ", found '" + w + "'");
    }
    if (n < min || n > max) {
      next--;
      throw fail(what + " " + n + " is out of range " + min + "–" + max);
    }
    return n;
  }

  /** A count of following items; a count larger than what follows is reported as cut short later. */
  int count(String what) {
    return (int) number(what, 0, MAX_COUNT);
  }

  List<String> counted(String what) {
    int n = count("number of " + what);
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(word(what));
    }
    return list;
  }

  DevNumber device(String what) {
    String w = word(what);
    try {
      return DevNumber.parse(w);
    } catch (IllegalArgumentException e) {
      next--;
      throw fail("expected " + what + " as major:minor, found '" + w + "'");
    }
  }

  void end(String after) {
    if (hasMore()) {
      throw fail("unexpected '" + words[next] + "' after " + after);
    }
  }
}
