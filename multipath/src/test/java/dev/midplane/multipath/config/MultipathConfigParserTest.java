package dev.midplane.multipath.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.testkit.Fixtures;
import dev.midplane.multipath.MultipathParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser on real files, real {@code multipath -t} dumps and every shape operators write. */
class MultipathConfigParserTest {
  private static String fixture(String name) {
    return Fixtures.text(MultipathConfigParserTest.class, name);
  }

  @Test
  void readsTheRealConfigOfTheCapturedHost() {
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(fixture("multipath-conf.txt"), "multipath.conf");
    MultipathConfig c = parsed.config();

    assertThat(parsed.warnings()).isEmpty();
    assertThat(c.sections()).extracting(Section::name)
        .containsExactly("defaults", "blacklist", "blacklist_exceptions", "multipaths");
    assertThat(c.defaultValue("user_friendly_names")).hasValue("no");
    assertThat(c.defaultValue("find_multipaths")).hasValue("no");
    assertThat(c.defaultValue("polling_interval")).hasValue("2");
    assertThat(c.blacklist().wwids()).containsExactly(".*");
    assertThat(c.blacklistExceptions().wwids()).containsExactly("^1Linux_scsi_debug_2000$");
    assertThat(c.multipaths()).singleElement().satisfies(e -> {
      assertThat(e.wwid()).isEqualTo("1Linux_scsi_debug_2000");
      assertThat(e.alias()).hasValue("vm-test");
    });
    Attribute alias = c.multipaths().get(0).section().attributes("alias").get(0);
    assertThat(alias.quoted()).as("alias was written unquoted").isFalse();
    assertThat(alias.toString()).isEqualTo("alias vm-test");
  }

  @Test
  void readsTheRealDumpOfMultipathT() {
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(fixture("multipath-t.txt"), "multipath -t");
    MultipathConfig c = parsed.config();

    // Every keyword multipath-tools 0.9.4 prints is known to the catalogue, in the right section;
    // fed back to the tool, its own dump draws exactly these three warnings (same lines).
    assertThat(parsed.warnings()).extracting(ConfigWarning::line, ConfigWarning::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(24, "'bindings_file' is deprecated and will be disabled in a future multipath-tools release"),
        org.assertj.core.groups.Tuple.tuple(25, "'wwids_file' is deprecated and will be disabled in a future multipath-tools release"),
        org.assertj.core.groups.Tuple.tuple(26, "'prkeys_file' is deprecated and will be disabled in a future multipath-tools release"));
    assertThat(c.defaultValue("verbosity")).hasValue("2");
    assertThat(c.defaultValue("find_multipaths")).hasValue("off");
    assertThat(c.defaultValue("find_multipaths_timeout")).hasValue("-10");
    assertThat(c.defaultValue("path_selector")).hasValue("service-time 0");
    assertThat(c.blacklist().devnodes()).containsExactly("!^(sd[a-z]|dasd[a-z]|nvme[0-9])");
    assertThat(c.blacklist().wwids()).containsExactly(".*");
    assertThat(c.blacklist().devices()).hasSize(14)
        .first().isEqualTo(DeviceMatch.of("SGI", "Universal Xport"));
    assertThat(c.blacklistExceptions().wwids()).containsExactly("^1Linux_scsi_debug_2000$");
    assertThat(c.blacklistExceptions().properties()).containsExactly("(SCSI_IDENT_|ID_WWN)");
    assertThat(c.devices()).hasSizeGreaterThan(100);
    assertThat(c.devices()).filteredOn(d -> d.value("vendor").equals(Optional.of("NFINIDAT")))
        .singleElement().satisfies(d -> {
          assertThat(d.value("path_selector")).hasValue("round-robin 0");
          assertThat(d.value("failback")).hasValue("30");
          assertThat(d.value("dev_loss_tmo")).hasValue("15");
        });
    assertThat(c.overrides()).hasValueSatisfying(o -> assertThat(o.isEmpty()).isTrue());
    assertThat(c.multipaths()).singleElement().satisfies(e -> assertThat(e.alias()).hasValue("vm-test"));
  }

  @Test
  void theWriterReproducesTheDumpOfMultipathTByteForByte() {
    String dump = fixture("multipath-t.txt");
    assertThat(MultipathConfig.parse(dump).write()).isEqualTo(dump.stripTrailing() + "\n");
  }

  @Test
  void readsEveryShapeOperatorsWrite() {
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(fixture("handwritten-shapes.conf"), "shapes");
    MultipathConfig c = parsed.config();

    assertThat(parsed.warnings()).isEmpty();
    assertThat(c.nodes().get(0)).isEqualTo(new Comment('#', " This is a multipath.conf as operators write them: comments of both kinds,"));
    assertThat(c.nodes().get(1)).isEqualTo(new Comment('!', " tabs and spaces, inline comments, quoted and unquoted values, empty sections."));
    Section defaults = c.defaults().orElseThrow();
    assertThat(defaults.comment()).hasValue(new Comment('#', " the daemon's defaults"));
    assertThat(defaults.value("polling_interval")).hasValue("10");
    assertThat(defaults.attributes("polling_interval").get(0).comment())
        .hasValue(new Comment('!', "inline after a value, no space"));
    assertThat(defaults.attributes("find_multipaths").get(0).comment()).hasValue(new Comment('#', " the blacklist decides"));
    assertThat(defaults.value("features")).hasValue("1 queue_if_no_path");
    assertThat(c.blacklist().devnodes()).containsExactly("^(ram|raw|loop|fd|md|dm-|sr|scd|st)[0-9]*", "^hd[a-z]");
    assertThat(c.blacklist().devices()).containsExactly(DeviceMatch.of("HP", "LOGICAL VOLUME"));
    assertThat(c.blacklistExceptions().wwids()).containsExactly("^3600a0b800026b2820000004d4d2f6b4b$", "^eui\\.0025388b71b2b3f4$");
    assertThat(c.multipaths()).extracting(MultipathEntry::wwid, MultipathEntry::alias).containsExactly(
        org.assertj.core.groups.Tuple.tuple("3600a0b800026b2820000004d4d2f6b4b", Optional.of("vm-web01")),
        org.assertj.core.groups.Tuple.tuple("eui.0025388b71b2b3f4", Optional.of("vm-db01")),
        org.assertj.core.groups.Tuple.tuple("1ATA     WDC WD1003FBYX", Optional.of("say \"hello\"")));
    assertThat(c.multipath("eui.0025388b71b2b3f4").orElseThrow().section().value("no_path_retry")).hasValue("12");
    assertThat(c.overrides()).hasValue(Section.of("overrides"));

    MultipathConfig again = MultipathConfig.parse(c.write());
    assertThat(again).isEqualTo(c);
    assertThat(again.write()).isEqualTo(c.write());
  }

  @Test
  void dosLineEndsAreRead() {
    MultipathConfig c = MultipathConfig.parse(fixture("crlf.conf"));
    assertThat(c.defaultValue("user_friendly_names")).hasValue("no");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("defaults {\n  polling_interval 2 3\n}", 2, "unexpected '3' after the value of 'polling_interval'"),
        Arguments.of("multipaths {\n multipath {\n  alias my vm\n }\n}", 3, "quote values that contain spaces"),
        Arguments.of("defaults {\n  polling_interval\n}", 2, "'polling_interval' has no value"),
        Arguments.of("defaults\n{\n}", 1, "'defaults' has no value (a section needs '{' on the same line)"),
        Arguments.of("defaults { polling_interval 2 }", 1, "unexpected 'polling_interval' after '{'"),
        Arguments.of("defaults {\n  alias \"open\n}", 2, "missing closing quote"),
        Arguments.of("defaults {\n}\n}", 3, "'}' without an open section"),
        Arguments.of("defaults {\n} x", 2, "unexpected 'x' after '}'"),
        Arguments.of("blacklist {\n  device {\n    vendor \"A\"\n  }\n", 1, "section 'blacklist' opened on this line is never closed"),
        Arguments.of("blacklist {\n  device {\n    vendor \"A\"\n", 2, "section 'device' opened on this line is never closed"),
        Arguments.of("defaults {\n  \"quoted\" keyword\n}", 2, "must start with a keyword"),
        Arguments.of("defaults {\n  { x\n}", 2, "'{' must follow a section name"),
        Arguments.of("defaults {\n  user_friendly_names no }\n", 2, "'}' must be on a line of its own"),
        Arguments.of("defaults {\n  alias vm\u00e9\n}", 2, "line 2, column 11: character U+00E9"),
        Arguments.of("defaults {\n  alias \"a\tb\"\n}", 2, "tab inside a quoted value"),
        Arguments.of("defaults {\n  alias a\rb\n}", 2, "character U+000D"));
  }

  @ParameterizedTest(name = "[{index}] line {1}: {2}")
  @MethodSource("malformed")
  void malformedFilesAreRefusedWithTheLine(String input, int line, String message) {
    assertThatThrownBy(() -> MultipathConfig.parse(input))
        .isInstanceOf(MultipathParseException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((MultipathParseException) e).line()).isEqualTo(line));
  }

  @Test
  void errorsPointAtTheColumnLikeACompiler() {
    assertThatThrownBy(() -> MultipathConfig.parseWithWarnings("defaults {\n  alias \"open\n}", "/etc/multipath.conf"))
        .isInstanceOfSatisfying(dev.midplane.core.ParseException.class, e -> {
          assertThat(e.source()).isEqualTo("/etc/multipath.conf");
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(9);
          assertThat(e.lineText()).isEqualTo("  alias \"open");
          assertThat(e.getMessage()).isEqualTo("/etc/multipath.conf, line 2, column 9: missing closing quote"
              + " (multipath-tools would take the rest of the line as the value)\n"
              + "  2 |   alias \"open\n"
              + "    |         ^");
        });
  }

  @Test
  void whatMultipathToolsWarnsAboutIsKeptAndReported() {
    String text = String.join("\n",
        "defaults {",                          // 1
        "  polling_interval 2",                // 2
        "  polling_interval 3",                // 3 duplicate
        "  bogus_keyword 1",                   // 4 unknown, kept
        "  getuid_callout /bin/true",          // 5 deprecated, ignored
        "  user_friendly_names maybe",         // 6 bad value
        "  bindings_file /etc/multipath/b",    // 7 deprecated, still used
        "}",
        "blacklist {",                         // 9
        "  wwid \"(unclosed\"",                // 10 fatal
        "  alias vm1",                         // 11 wrong section
        "}",
        "multipaths {",                        // 13
        "  multipath {",                       // 14 no wwid
        "    alias x",
        "  }",
        "  device {",                          // 17 wrong sub-section
        "  }",
        "}",
        "tuning {",                            // 20 unknown section
        "  x 1",
        "}",
        "");
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(text, "t");

    assertThat(parsed.warnings()).extracting(ConfigWarning::line).containsExactly(3, 4, 5, 6, 7, 10, 11, 14, 17, 20);
    assertThat(parsed.warnings()).extracting(ConfigWarning::toString).satisfiesExactly(
        w -> assertThat(w).contains("line 3 (defaults): duplicate keyword 'polling_interval'"),
        w -> assertThat(w).contains("invalid keyword 'bogus_keyword' in the defaults section"),
        w -> assertThat(w).contains("deprecated option 'getuid_callout'"),
        w -> assertThat(w).contains("invalid value for user_friendly_names \"maybe\": must be one of yes, no, 1, 0"),
        w -> assertThat(w).contains("'bindings_file' is deprecated"),
        w -> assertThat(w).contains("error: regular expression \"(unclosed\" does not compile"),
        w -> assertThat(w).contains("invalid keyword 'alias' in the blacklist section"),
        w -> assertThat(w).contains("(multipaths/multipath): multipath section without wwid"),
        w -> assertThat(w).contains("(multipaths): section 'device' is not allowed in the multipaths section"),
        w -> assertThat(w).contains("unknown section 'tuning'"));
    assertThat(parsed.hasFatal()).isTrue();

    // Kept, and written back.
    MultipathConfig c = parsed.config();
    assertThat(c.defaults().orElseThrow().value("bogus_keyword")).hasValue("1");
    assertThat(c.section("tuning")).hasValueSatisfying(s -> assertThat(s.value("x")).hasValue("1"));
    assertThat(c.write()).contains("\tbogus_keyword 1\n", "tuning {\n\tx 1\n}\n");
    assertThat(c.defaultValue("polling_interval")).as("the last duplicate wins, as in multipath-tools").hasValue("3");
    // A model without lines reports the same warnings with line 0.
    assertThat(c.lint()).extracting(ConfigWarning::message)
        .containsExactlyElementsOf(parsed.warnings().stream().map(ConfigWarning::message).toList());
    assertThat(c.lint()).extracting(ConfigWarning::line).containsOnly(0);
  }

  @Test
  void commentsOnAClosingLineStayInTheSectionTheyClose() {
    MultipathConfig c = MultipathConfig.parse("defaults {\n  verbosity 2\n} # end of defaults\n");
    assertThat(c.defaults().orElseThrow().children()).containsExactly(
        new Attribute("verbosity", "2", Optional.empty(), false), new Comment('#', " end of defaults"));
  }

  @Test
  void quotingIsAWritingHintNotPartOfTheValue() {
    MultipathConfig quoted = MultipathConfig.parse("multipaths {\n multipath {\n  wwid \"1a\"\n  alias \"vm1\"\n }\n}\n");
    MultipathConfig bare = MultipathConfig.parse("multipaths {\n multipath {\n  wwid 1a\n  alias vm1\n }\n}\n");
    assertThat(quoted).isEqualTo(bare);
    assertThat(quoted.write()).contains("alias \"vm1\"");
    assertThat(bare.write()).contains("alias vm1");
  }

  @Test
  void editsKeepEverythingElse() {
    MultipathConfig c = MultipathConfig.parse(fixture("handwritten-shapes.conf"));
    MultipathConfig edited = c.withDefault("polling_interval", "5").withDefault("max_fds", "max");

    Section d = edited.defaults().orElseThrow();
    assertThat(d.attributes("polling_interval")).singleElement().satisfies(a -> {
      assertThat(a.value()).isEqualTo("5");
      assertThat(a.comment()).as("the inline comment stays").isPresent();
    });
    assertThat(d.attributes().get(d.attributes().size() - 1)).isEqualTo(Attribute.of("max_fds", "max"));
    assertThat(edited.nodes().subList(0, 2)).isEqualTo(c.nodes().subList(0, 2));
    assertThat(edited.sections()).extracting(Section::name).isEqualTo(c.sections().stream().map(Section::name).toList());
    assertThat(edited.withoutSections("overrides").section("overrides")).isEmpty();
    assertThat(List.of(edited.lint())).containsExactly(List.of());
  }

  @Test
  void repeatedSectionsAreMergedLikeMultipathToolsDoes() {
    MultipathConfig c = MultipathConfig.parse("blacklist {\n wwid \"a\"\n}\nblacklist {\n wwid \"b\"\n}\n");
    assertThat(c.blacklist().wwids()).containsExactly("a", "b");
    assertThat(c.lint()).extracting(ConfigWarning::message).singleElement().asString().contains("duplicate section 'blacklist'");
    MultipathConfig merged = c.withSection(c.mergedSection("blacklist"));
    assertThat(merged.sections("blacklist")).hasSize(1);
    assertThat(merged.blacklist().wwids()).containsExactly("a", "b");
    assertThat(merged.lint()).isEmpty();
  }
}
