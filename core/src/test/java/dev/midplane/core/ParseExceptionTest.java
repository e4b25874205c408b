package dev.midplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParseExceptionTest {
  @Test
  void pointsAtTheOffendingCharacter() {
    String text = "DEVICE=bond0\nBONDING_OPTS=\"mode=1 miimon=100\n";
    ParseException e = ParseException.at("ifcfg-bond0", text, text.indexOf('"'), "unterminated double quote");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(14);
    assertThat(e.lineText()).isEqualTo("BONDING_OPTS=\"mode=1 miimon=100");
    assertThat(e).hasMessage("""
        ifcfg-bond0, line 2, column 14: unterminated double quote
          2 | BONDING_OPTS="mode=1 miimon=100
            |              ^""");
  }

  @Test
  void aWholeLineOrAWholeText() {
    ParseException l = ParseException.atLine("`xl list` output", "Name ID\nvm1 x\n", 2, "ID is not a number");
    assertThat(l).hasMessage("`xl list` output, line 2: ID is not a number\n  2 | vm1 x");
    ParseException t = new ParseException("`xl list` output", 0, null, "no header line");
    assertThat(t).hasMessage("`xl list` output: no header line");
    assertThat(t.lineText()).isEmpty();
  }

  @Test
  void controlCharactersInTheLineAreShownEscaped() {
    ParseException e = ParseException.atLine("x", "a\u0001b\n", 1, "bad");
    assertThat(e.getMessage()).endsWith("1 | a\\u0001b");
  }
}
