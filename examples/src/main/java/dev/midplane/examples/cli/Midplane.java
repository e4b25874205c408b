package dev.midplane.examples.cli;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.ParseException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.inventory.InventoryException;
import dev.midplane.sysfs.SysfsParseException;
import dev.midplane.xen.text.ParseFailedException;
import java.io.PrintWriter;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code midplane} command line. {@link #main} is what {@code ./midplane} runs; tests and
 * embedders call {@link #commandLine(Environment)} and {@code execute(args)} with their own
 * output writers.
 *
 * <p>Exit codes: {@value #OK} when the command did what it was asked, {@value #FAILED} when the
 * operation failed or was refused (the message says why, with the evidence), {@value #BAD_INPUT}
 * for bad usage or bad input (the message names the option, the value, or the file and line;
 * nothing was changed).
 */
@Command(name = "midplane",
    mixinStandardHelpOptions = true,
    versionProvider = Midplane.Version.class,
    description = {
        "Xen on blade servers with redundant hardware: bonds, bridges, multipath LUNs, anti-spoofing, live migration.",
        "Start with @|bold midplane demo|@: the whole scenario on a simulated two-blade chassis, no root needed."},
    subcommands = {
        DemoCommand.class,
        InventoryCommand.class,
        ParseCommand.class,
        VifCommand.class,
        MultipathConfCommand.class,
        PreflightCommand.class,
        MigrateCommand.class,
        ClasspathCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:the operation failed or was refused (the message says why)",
        "2:bad usage or bad input (the message names the option, value, or file and line)"})
public final class Midplane implements Runnable {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** The operation failed or was refused. */
  public static final int FAILED = 1;
  /** Bad usage or bad input; nothing was changed. */
  public static final int BAD_INPUT = 2;

  /** Help is laid out for this many columns: the descriptions' lines are written to fit it. */
  private static final int USAGE_WIDTH = 110;

  private final Environment environment;

  @Spec
  private CommandSpec spec;

  private Midplane(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /** What the commands act on. */
  Environment environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see midplane --help)");
  }

  /** Runs the command line on this machine and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(Environment.system()).execute(args));
  }

  /**
   * The command line over {@code environment}, with the SDK's name types as option types and
   * the exit codes of the class comment. Set its writers ({@code setOut}, {@code setErr}) to
   * capture output.
   */
  public static CommandLine commandLine(Environment environment) {
    CommandLine cl = new CommandLine(new Midplane(environment));
    cl.registerConverter(InterfaceName.class, InterfaceName::of);
    cl.registerConverter(MacAddress.class, MacAddress::of);
    cl.registerConverter(Ipv4Address.class, Ipv4Address::of);
    cl.registerConverter(DomainName.class, DomainName::of);
    cl.registerConverter(HostName.class, HostName::of);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(USAGE_WIDTH);
    cl.setExecutionExceptionHandler(Midplane::handle);
    cl.getSubcommands().get("parse").getCommandSpec().usageMessage().footer(ParseCommand.kindList());
    return cl;
  }

  /** Runs {@code args} with output to {@code out} and {@code err}; returns the exit code. */
  public static int execute(Environment environment, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(environment);
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String who = cl.getCommandSpec().qualifiedName();
    if (isBadInput(e)) {
      err.println(who + ": " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
    if (e instanceof UnsafeOperationException u) {
      err.println(who + ": refused to " + u.operation() + ":");
      u.reasons().forEach(r -> err.println("  - " + r));
    } else if (e instanceof MidplaneException) {
      err.println(who + ": " + e.getMessage());
    } else {
      err.println(who + ": unexpected failure: " + e);
      e.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  /** Exceptions that mean the user's input was wrong, not that an operation failed. */
  static boolean isBadInput(Throwable e) {
    return e instanceof BadInputException || e instanceof InvalidNameException || e instanceof ParseException
        || e instanceof MultipathParseException || e instanceof SysfsParseException
        || e instanceof ParseFailedException || e instanceof InventoryException;
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Midplane.class.getPackage().getImplementationVersion();
      return new String[] {"midplane " + (v == null ? "(development build)" : v),
          "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
    }
  }
}
