package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenTest {
  @TempDir
  Path root;

  private static String fixture(String name) {
    return ToolstackOutputsTest.fixture(name);
  }

  @Test
  void detectsTheToolstackOnFirstUseAndHandsOutDomainHandles() {
    RecordingRunner runner = RecordingRunner.scripted();
    runner.on("xl", "info").reply(Reply.ok(fixture("xl-info-debian.txt")));
    runner.on("xl", "list", "domU").reply(Reply.ok(fixture("xl-list-running.txt").replaceAll("(?m)^Domain-0.*\n", "")));
    runner.on("xl", "list").reply(Reply.ok(fixture("xl-list-dying.txt")));
    runner.on("xl", "create").reply(new Reply(0, "", fixture("xl-create.txt")));
    runner.on("xl", "network-attach").reply(Reply.ok());
    runner.on("xl", "migrate").reply(new Reply(0, "", fixture("xl-migrate-pvh.txt")));
    Xen xen = Xen.on(ScriptedHosts.blade07(runner, root));
    assertThat(runner.commandCount()).isZero();

    XenDomain domU = xen.domain(DomainName.of("domU"));
    assertThat(domU.status().id()).hasValue(1);
    assertThat(xen.toolstack().kind()).isEqualTo(Toolstack.Kind.XL);
    assertThat(xen.domains()).extracting(XenDomain::name).containsExactly(DomainName.of("domU")); // no Domain-0, no (null)

    XenDomain created = xen.create(DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-pvh-run6.cfg"), Dialect.XL));
    assertThat(created).isEqualTo(domU);
    created.attachInterface(InterfaceName.of("xenbr1"), MacAddress.of("00:16:3e:00:00:09"));
    assertThat(created.migrate(HostName.of("blade08")).call().events()).isNotEmpty();

    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "info"), List.of("xl", "list", "domU"), List.of("xl", "list"), List.of("xl", "create", "/run/midplane/xen/domU.cfg"),
        List.of("xl", "network-attach", "domU", "mac=00:16:3e:00:00:09", "bridge=xenbr1"),
        List.of("xl", "migrate", "domU", "blade08"));
  }
}
