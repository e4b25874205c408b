package dev.midplane.examples.json;

import dev.midplane.core.ParseException;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.dm.DmsetupDevice;
import dev.midplane.multipath.dm.DmsetupOutput;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.network.Brctl;
import dev.midplane.network.IpJson;
import dev.midplane.network.antispoof.Ebtables;
import dev.midplane.network.persist.IfcfgFile;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.SysfsParseException;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.sxp.XendConfig;
import dev.midplane.xen.text.ParseFailedException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kinds of text {@code midplane parse} reads, each with the SDK parser it uses and the JSON
 * view ({@link ParsedViews}) it produces. A text that is not of its kind throws the parser's
 * exception, which names the line; {@link #lineOf(Throwable)} extracts that line.
 */
public enum ParseKind {
  /** {@code multipath -ll} / {@code -l} / {@code multipathd show topology}, tree or bracket layout. */
  MULTIPATH_LL("multipath-ll", "multipath -ll, multipath -l or multipathd show topology",
      (text, source) -> ParsedViews.multipathLl(MultipathListing.parse(text))),
  /** {@code multipath.conf} or {@code multipath -t}. */
  MULTIPATH_CONF("multipath-conf", "multipath.conf, or the output of multipath -t",
      (text, source) -> ParsedViews.multipathConf(MultipathConfig.parseWithWarnings(text, source))),
  /** {@code dmsetup table}. */
  DMSETUP_TABLE("dmsetup-table", "dmsetup table",
      (text, source) -> ParsedViews.dmTables(unnamedOrNamed(text, DmsetupOutput::tables))),
  /** {@code dmsetup status}. */
  DMSETUP_STATUS("dmsetup-status", "dmsetup status",
      (text, source) -> ParsedViews.dmStatuses(unnamedOrNamed(text, DmsetupOutput::statuses))),
  /** {@code /proc/net/bonding/bondN}. */
  PROC_BONDING("proc-bonding", "/proc/net/bonding/bondN",
      (text, source) -> ParsedViews.procBonding(ProcBonding.parse(text))),
  /** {@code brctl show}. */
  BRCTL_SHOW("brctl-show", "brctl show",
      (text, source) -> ParsedViews.brctlShow(Brctl.parseShow(text))),
  /** {@code ip -j -d link show}. */
  IP_LINK_JSON("ip-link-json", "ip -j [-d] link show (or ip -j addr show)",
      (text, source) -> ParsedViews.ipLinks(IpJson.links(text))),
  /** {@code ebtables -L [--Lc]}. */
  EBTABLES_LIST("ebtables-list", "ebtables [-t TABLE] -L [--Lc]",
      (text, source) -> ParsedViews.ebtables(Ebtables.parseList(text))),
  /** An {@code ifcfg-*} file. */
  IFCFG("ifcfg", "a CentOS/RHEL network-scripts ifcfg-* file",
      (text, source) -> ParsedViews.ifcfg(IfcfgFile.parse(fileName(source), text))),
  /** {@code xl list} / {@code xm list}. */
  XL_LIST("xl-list", "xl list or xm list (text)",
      (text, source) -> ParsedViews.xlList(ToolstackOutputs.parseList(text, source))),
  /** {@code xl list -l} (JSON or S-expressions) / {@code xm list --long}. */
  XL_LIST_LONG("xl-list-long", "xl list -l (JSON or S-expressions) or xm list --long",
      (text, source) -> ParsedViews.xlListLong(ToolstackOutputs.parseListLong(text, source))),
  /** A domain config file in xl or xm syntax. */
  DOMAIN_CFG("domain-cfg", "a Xen domain config file, xl.cfg or xm (Python) syntax",
      (text, source) -> ParsedViews.domainCfg(domainConfig(text, source))),
  /** {@code xend-config.sxp}. */
  XEND_CONFIG("xend-config", "xend-config.sxp",
      (text, source) -> ParsedViews.xendConfig(XendConfig.parse(text, source)));

  /** A parser from text to this kind's view. */
  private interface Parser {
    Object parse(String text, String source);
  }

  private final String cliName;
  private final String description;
  private final Parser parser;

  ParseKind(String cliName, String description, Parser parser) {
    this.cliName = cliName;
    this.description = description;
    this.parser = parser;
  }

  /** The name on the command line, e.g. {@code multipath-ll}. */
  public String cliName() {
    return cliName;
  }

  /** What text this kind reads, for help. */
  public String description() {
    return description;
  }

  /**
   * Parses {@code text} into this kind's JSON view.
   *
   * @param source names the text in error messages (the file's path)
   * @throws RuntimeException the parser's exception, naming the line, when the text is not of this kind
   */
  public Object parse(String text, String source) {
    return parser.parse(text, source);
  }

  /** The kind called {@code name} on the command line. */
  public static Optional<ParseKind> named(String name) {
    return Arrays.stream(values()).filter(k -> k.cliName.equals(name.toLowerCase(Locale.ROOT))).findFirst();
  }

  /** Every command-line name, in order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(ParseKind::cliName).toList();
  }

  /**
   * The 1-based line a parser's exception names, or empty when it names none (the text as a
   * whole, or an exception that is not a parser's).
   */
  public static Optional<Integer> lineOf(Throwable e) {
    int line = 0;
    if (e instanceof ParseException p) {
      line = p.line();
    } else if (e instanceof MultipathParseException p) {
      line = p.line();
    } else if (e instanceof SysfsParseException p) {
      line = p.line();
    } else if (e instanceof ParseFailedException p) {
      line = p.line();
    }
    return line > 0 ? Optional.of(line) : Optional.empty();
  }

  /**
   * A domain config in whichever syntax it is written: xl's first, then xm's. When neither reads
   * it, the error of the syntax that got further (the later line) is thrown.
   */
  static DomainConfig domainConfig(String text, String source) {
    try {
      return DomainConfig.parse(text, Dialect.XL, source);
    } catch (RuntimeException xl) {
      try {
        return DomainConfig.parse(text, Dialect.XM, source);
      } catch (RuntimeException xm) {
        throw lineOf(xm).orElse(0) > lineOf(xl).orElse(0) ? xm : xl;
      }
    }
  }

  /**
   * {@code dmsetup table|status} of every device prints {@code name: start length type params};
   * of one device ({@code dmsetup status vm-web01}) it prints the segments without the name. The
   * second form gives one device whose name is unknown (empty).
   */
  private static List<DmsetupDevice> unnamedOrNamed(String text, Function<String, List<DmsetupDevice>> named) {
    String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    if (!first.isEmpty() && Character.isDigit(first.charAt(0))) {
      return List.of(new DmsetupDevice("", Optional.empty(), DmsetupOutput.targets(text)));
    }
    return named.apply(text);
  }

  private static String fileName(String source) {
    Path name = Path.of(source).getFileName();
    return name == null ? source : name.toString();
  }
}
