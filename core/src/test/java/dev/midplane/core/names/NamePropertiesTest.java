package dev.midplane.core.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.InvalidNameException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every name type refuses hostile input — shell metacharacters, path traversal, NUL, control
 * characters, non-ASCII, a leading '-', overlong values — and every valid name round-trips through
 * its canonical form.
 */
class NamePropertiesTest {
  static final Map<String, Function<String, Object>> TYPES = Map.of(
      "InterfaceName", InterfaceName::of,
      "Wwid", Wwid::of,
      "MacAddress", MacAddress::of,
      "Ipv4Address", Ipv4Address::of,
      "Ipv4Network", Ipv4Network::of,
      "DomainName", DomainName::of,
      "MultipathAlias", MultipathAlias::of,
      "Hctl", Hctl::of,
      "HostName", HostName::of);

  static final List<String> POISON = List.of(
      ";", "|", "&", "$(", "`", ">", "<", "'", "\"", "\\", "../", "/", "\0", "\n", "\t", "*", "?", "!", "{", "}",
      "\u00e9", "\u0430", "\u202e", "\ud83d\ude00", "\u00a0");

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> base = Arbitraries.strings().alpha().numeric().ofMinLength(0).ofMaxLength(8);
    Arbitrary<String> poison = Arbitraries.of(POISON);
    Arbitrary<String> withPoison = Combinators.combine(base, poison, base).as((a, p, b) -> a + p + b);
    Arbitrary<String> leadingDash = base.map(s -> "-" + s);
    Arbitrary<String> overlong = Arbitraries.strings().alpha().ofMinLength(254).ofMaxLength(400);
    return Arbitraries.oneOf(withPoison, leadingDash, overlong, Arbitraries.of("", " ", ".", ".."));
  }

  @Property(tries = 400)
  void everyTypeRejectsHostileInput(@ForAll("hostile") String input) {
    TYPES.forEach((type, parse) -> assertThatThrownBy(() -> parse.apply(input))
        .as("%s must reject \"%s\"", type, InvalidNameException.escape(input))
        .isInstanceOf(InvalidNameException.class));
  }

  @Property(tries = 200)
  void hostileInputIsNamedInTheMessage(@ForAll("hostile") String input) {
    assertThatThrownBy(() -> InterfaceName.of(input))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageStartingWith("invalid interface name")
        .satisfies(e -> assertThat(((InvalidNameException) e).value()).isEqualTo(input));
  }

  @Provide
  Arbitrary<String> identifiers() {
    Arbitrary<Character> first = Arbitraries.chars().alpha().numeric().with('_');
    Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars("_.-").ofMaxLength(14);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  @Property
  void validIdentifiersRoundTrip(@ForAll("identifiers") String s) {
    assertThat(InterfaceName.of(s).toString()).isEqualTo(s);
    assertThat(MultipathAlias.of(s).toString()).isEqualTo(s);
    assertThat(Wwid.of(s).toString()).isEqualTo(s);
    if (!s.chars().allMatch(Character::isDigit)) {
      assertThat(DomainName.of(s).toString()).isEqualTo(s);
    }
  }

  @Property
  void macAddressesRoundTripInEveryNotation(@ForAll("macBits") long bits) {
    MacAddress m = MacAddress.fromBits(bits);
    String c = m.toString();
    assertThat(MacAddress.of(c)).isEqualTo(m);
    assertThat(MacAddress.of(c.toUpperCase().replace(':', '-'))).isEqualTo(m);
    assertThat(MacAddress.of(c.replace(":", ""))).isEqualTo(m);
    String bare = c.replace(":", "");
    assertThat(MacAddress.of(bare.substring(0, 4) + "." + bare.substring(4, 8) + "." + bare.substring(8))).isEqualTo(m);
    StringBuilder unpadded = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      unpadded.append(i == 0 ? "" : ":").append(Integer.toHexString(m.octet(i)));
    }
    assertThat(MacAddress.of(unpadded.toString())).isEqualTo(m);
  }

  @Provide
  Arbitrary<Long> macBits() {
    return Arbitraries.longs().between(0, 0xffffffffffffL);
  }

  @Property
  void ipv4RoundTrips(@ForAll int bits, @ForAll("prefix") int prefix) {
    Ipv4Address a = Ipv4Address.fromBits(bits);
    assertThat(Ipv4Address.of(a.toString())).isEqualTo(a);
    Ipv4Network n = Ipv4Network.containing(a, prefix);
    assertThat(Ipv4Network.of(n.toString())).isEqualTo(n);
    assertThat(n.contains(a)).isTrue();
  }

  @Provide
  Arbitrary<Integer> prefix() {
    return Arbitraries.integers().between(0, 32);
  }

  @Property
  void hctlRoundTrips(@ForAll("small") int h, @ForAll("small") int c, @ForAll("small") int t, @ForAll long l) {
    Hctl x = Hctl.of(h, c, t, l);
    assertThat(Hctl.of(x.toString())).isEqualTo(x);
    assertThat(Hctl.of("[" + x + "]")).isEqualTo(x);
  }

  @Provide
  Arbitrary<Integer> small() {
    return Arbitraries.integers().between(0, 100_000);
  }
}
