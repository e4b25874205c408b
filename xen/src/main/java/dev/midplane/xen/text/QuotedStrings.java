package dev.midplane.xen.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The backslash escapes C, Python and xend's S-expressions share in quoted strings, for this
 * module's readers and writers: {@code \\ \' \" \a \b \f \n \r \t \v}, {@code \xHH} and octal
 * {@code \ooo}. Numeric escapes stand for bytes, so a string is decoded as bytes and read as UTF-8
 * at the end (that is how {@code '\xc3\xa9'} is {@code é} in a Python 2 file).
 */
public final class QuotedStrings {
  private QuotedStrings() {}

  /** Collects the text of one quoted string: plain characters and decoded escapes. */
  public static final class Decoder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StringBuilder plain = new StringBuilder();

    /** Adds a character as it stands. */
    public void append(char c) {
      plain.append(c);
    }

    /** Adds text as it stands. */
    public void append(String s) {
      plain.append(s);
    }

    /** Adds one byte (an escape's value). */
    public void appendByte(int b) {
      flush();
      bytes.write(b);
    }

    /**
     * Decodes a common escape whose letter is at {@code text.charAt(at)} (just after the
     * backslash).
     *
     * @return the index after the escape, or -1 when the letter is not a common escape (the caller
     *     decides what its syntax makes of it)
     * @throws IllegalArgumentException for a malformed {@code \x} or octal escape
     */
    public int escape(String text, int at) {
      char e = text.charAt(at);
      int simple = switch (e) {
        case '\\', '\'', '"' -> e;
        case 'a' -> 7;
        case 'b' -> 8;
        case 'f' -> 12;
        case 'n' -> '\n';
        case 'r' -> '\r';
        case 't' -> '\t';
        case 'v' -> 11;
        default -> -1;
      };
      if (simple >= 0) {
        appendByte(simple);
        return at + 1;
      }
      if (e == 'x') {
        int end = digits(text, at + 1, 16, 2);
        if (end - (at + 1) < 2) {
          throw new IllegalArgumentException("invalid escape: \\x takes two hex digits");
        }
        appendByte(Integer.parseInt(text.substring(at + 1, end), 16));
        return end;
      }
      if (e >= '0' && e <= '7') {
        int end = digits(text, at, 8, 3);
        int v = Integer.parseInt(text.substring(at, end), 8);
        if (v > 0xff) {
          throw new IllegalArgumentException("octal escape out of range: \\" + text.substring(at, end));
        }
        appendByte(v);
        return end;
      }
      return -1;
    }

    private static int digits(String text, int from, int radix, int max) {
      int i = from;
      while (i < text.length() && i - from < max && text.charAt(i) < 0x80 && Character.digit(text.charAt(i), radix) >= 0) {
        i++;
      }
      return i;
    }

    private void flush() {
      if (plain.length() > 0) {
        bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
        plain.setLength(0);
      }
    }

    /**
     * The decoded string.
     *
     * @throws IllegalArgumentException when the escaped bytes are not UTF-8 or the text holds NUL
     *     (the toolstacks pass C strings)
     */
    public String text() {
      flush();
      String value;
      try {
        value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("the string's escapes do not form valid UTF-8 text");
      }
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the string contains NUL, which the toolstacks cannot pass on");
      }
      return value;
    }
  }

  /**
   * {@code s} in quotes {@code q} with backslash escapes for the backslash, the quote, line breaks,
   * tabs and control characters ({@code \xHH}), as Python's {@code repr} writes it; a reader of
   * either quote style and these escapes reads it back.
   *
   * @param nonAsciiAsBytes write non-ASCII text as its UTF-8 bytes in {@code \xHH} escapes (for
   *     Python 2 files without an encoding declaration) rather than as it is
   */
  public static String quote(String s, char q, boolean nonAsciiAsBytes) {
    StringBuilder b = new StringBuilder().append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == q) {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else if (c >= 0x80 && nonAsciiAsBytes) {
        int cp = s.codePointAt(i);
        i += Character.charCount(cp) - 1;
        for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          b.append(String.format("\\x%02x", x & 0xff));
        }
      } else {
        b.append(c);
      }
    }
    return b.append(q).toString();
  }
}
