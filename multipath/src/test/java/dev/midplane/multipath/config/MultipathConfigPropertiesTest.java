package dev.midplane.multipath.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse → write → parse is the identity on the model, for any tree the model can hold. */
class MultipathConfigPropertiesTest {
  private static final List<String> KNOWN_KEYWORDS = List.of(
      "wwid", "alias", "devnode", "property", "vendor", "product", "polling_interval", "features",
      "path_selector", "no_path_retry", "user_friendly_names", "find_multipaths", "hardware_handler");
  private static final List<String> KNOWN_SECTIONS = List.of(
      "defaults", "blacklist", "blacklist_exceptions", "devices", "device", "multipaths", "multipath", "overrides", "protocol");

  /** Printable ASCII, including every character the syntax treats specially. */
  private static Arbitrary<String> text(int max) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(max);
  }

  private static Arbitrary<String> word() {
    Arbitrary<String> random = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12)
        .filter(Tokens::isBareWord);
    return Arbitraries.oneOf(Arbitraries.of(KNOWN_KEYWORDS), random);
  }

  private static Arbitrary<Comment> comment() {
    Arbitrary<String> body = Arbitraries.oneOf(text(30),
        Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\0') < 0));
    return Combinators.combine(Arbitraries.of('#', '!'), body).as(Comment::new);
  }

  private static Arbitrary<Attribute> attribute() {
    Arbitrary<String> value = Arbitraries.oneOf(text(24), Arbitraries.of("0", "-10", "\"", "\"\"", "#", "!", "{", "}", ""));
    return Combinators.combine(word(), value, comment().optional(0.3), Arbitraries.of(true, false)).as(Attribute::new);
  }

  private static Arbitrary<ConfigNode> node(int depth) {
    if (depth == 0) {
      return Arbitraries.oneOf(attribute(), comment());
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, attribute()),
        net.jqwik.api.Tuple.of(1, comment()),
        net.jqwik.api.Tuple.of(2, section(depth - 1)));
  }

  private static Arbitrary<ConfigNode> section(int depth) {
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(KNOWN_SECTIONS), word());
    return Combinators.combine(name, node(depth).list().ofMaxSize(5), comment().optional(0.2))
        .as((n, children, c) -> new Section(n, children, c));
  }

  @Provide
  Arbitrary<MultipathConfig> configs() {
    return Arbitraries.oneOf(section(2), comment().map(c -> (ConfigNode) c)).list().ofMaxSize(6).map(MultipathConfig::of);
  }

  @Property(tries = 600)
  void parseOfWriteIsTheIdentity(@ForAll("configs") MultipathConfig config) {
    String written = config.write();
    MultipathConfig read = MultipathConfig.parse(written);
    assertThat(read).isEqualTo(config);
    assertThat(read.write()).as("the text is stable too").isEqualTo(written);
  }

  @Property(tries = 300)
  void warningsOfAParsedFileMatchTheModelsOwn(@ForAll("configs") MultipathConfig config) {
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(config.write(), "generated");
    assertThat(parsed.warnings()).extracting(ConfigWarning::message)
        .containsExactlyElementsOf(config.lint().stream().map(ConfigWarning::message).toList());
    assertThat(parsed.warnings()).allSatisfy(w -> assertThat(w.line()).isPositive());
  }

  @Property(tries = 300)
  void everyWrittenLineIsOneStatement(@ForAll("configs") MultipathConfig config) {
    for (String line : config.write().lines().toList()) {
      Tokens.Line t = Tokens.tokenize(line, 1, "line");
      assertThat(t.tokens().size()).as(line).isBetween(t.comment().isPresent() ? 0 : 1, 2);
    }
  }

  @Property(tries = 200)
  void attributeValuesSurviveAnyPrintableText(@ForAll("values") String value) {
    MultipathConfig c = MultipathConfig.of(Section.of("defaults", Attribute.of("alias_prefix", value)));
    assertThat(MultipathConfig.parse(c.write()).defaultValue("alias_prefix")).isEqualTo(Optional.of(value));
  }

  @Provide
  Arbitrary<String> values() {
    return text(40);
  }
}
