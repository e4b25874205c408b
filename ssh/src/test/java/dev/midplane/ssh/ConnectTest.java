package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.InvalidNameException;
import dev.midplane.core.testkit.RequiresReal;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host-key verification, key authentication and connection failures, against an embedded server. */
class ConnectTest {
  @TempDir
  static Path serverDir;
  @TempDir
  Path dir;
  static TestSshd sshd;

  @BeforeAll
  static void start() {
    sshd = TestSshd.start(serverDir);
  }

  @AfterAll
  static void stop() {
    sshd.close();
  }

  private String fingerprint() {
    return KeyUtils.getFingerPrint(sshd.hostKey.getPublic());
  }

  @Test
  void aKnownHostKeyIsAccepted() {
    try (Host h = sshd.target().connect()) {
      assertThat(h.execute("printf", "ok").stdout()).isEqualTo("ok");
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedByDefaultWithItsFingerprint() throws IOException {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    assertThatThrownBy(() -> sshd.target().knownHosts(empty).connect())
        .isInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining("[127.0.0.1]:" + sshd.port())
        .hasMessageContaining(fingerprint())
        .hasMessageContaining("ssh-ed25519")
        .hasMessageContaining(empty.toString())
        .satisfies(e -> {
          HostKeyRejectedException h = (HostKeyRejectedException) e;
          assertThat(h.reason()).isEqualTo(HostKeyRejectedException.Reason.UNKNOWN);
          assertThat(h.fingerprint()).isEqualTo(fingerprint());
          assertThat(h.port()).isEqualTo(sshd.port());
        });
  }

  @Test
  void aMissingKnownHostsFileRefusesToo() {
    assertThatThrownBy(() -> sshd.target().knownHosts(dir.resolve("none")).connect())
        .isInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining(dir.resolve("none").toString());
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWhenNewKeysAreAccepted() throws Exception {
    KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    Path kh = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port() + " "
        + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(other.getPublic()) + "\n");
    for (HostKeyPolicy policy : HostKeyPolicy.values()) {
      assertThatThrownBy(() -> sshd.target().knownHosts(kh).hostKeyPolicy(policy).connect())
          .isInstanceOf(HostKeyRejectedException.class)
          .hasMessageContaining("HAS CHANGED")
          .hasMessageContaining(KeyUtils.getFingerPrint(other.getPublic()))
          .hasMessageContaining(fingerprint())
          .satisfies(e -> assertThat(((HostKeyRejectedException) e).reason()).isEqualTo(HostKeyRejectedException.Reason.CHANGED));
    }
    assertThat(Files.readString(kh)).doesNotContain(
        org.apache.sshd.common.config.keys.PublicKeyEntry.toString(sshd.hostKey.getPublic()));
  }

  @Test
  void aRevokedHostKeyIsRefused() throws IOException {
    Path kh = Files.writeString(dir.resolve("known_hosts"), "@revoked " + sshd.knownHostsLine() + "\n");
    assertThatThrownBy(() -> sshd.target().knownHosts(kh).hostKeyPolicy(HostKeyPolicy.INSECURE_ACCEPT_NEW_AND_RECORD).connect())
        .isInstanceOf(HostKeyRejectedException.class)
        .satisfies(e -> assertThat(((HostKeyRejectedException) e).reason()).isEqualTo(HostKeyRejectedException.Reason.REVOKED));
  }

  @Test
  void trustOnFirstUseRecordsTheKeyAndStrictAcceptsItAfterwards() throws IOException {
    Path kh = dir.resolve("lab_known_hosts");
    try (Host h = sshd.target().knownHosts(kh).hostKeyPolicy(HostKeyPolicy.INSECURE_ACCEPT_NEW_AND_RECORD).connect()) {
      h.execute("true");
    }
    assertThat(Files.readString(kh)).contains(
        org.apache.sshd.common.config.keys.PublicKeyEntry.toString(sshd.hostKey.getPublic()));
    try (Host h = sshd.target().knownHosts(kh).connect()) {
      assertThat(h.execute("printf", "again").stdout()).isEqualTo("again");
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowFailsAuthentication() throws Exception {
    KeyPair stranger = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    assertThatThrownBy(() -> SshTarget.builder("127.0.0.1").port(sshd.port()).knownHosts(sshd.knownHosts)
        .addKeyPairs(stranger).connect())
        .isInstanceOf(SshConnectException.class)
        .isNotInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining("root@127.0.0.1:" + sshd.port())
        .hasMessageContaining("authentication failed");
  }

  @Test
  void rsaAndEncryptedEd25519IdentityFilesWork() throws Exception {
    KeyPair rsa = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 3072);
    Path rsaFile = dir.resolve("id_rsa");
    TestSshd.writeIdentity(rsa, rsaFile, null);
    Path encFile = dir.resolve("id_ed25519_enc");
    TestSshd.writeIdentity(sshd.clientKey, encFile, "correct horse");
    // The server knows only the ed25519 key: the RSA one is offered first and refused.
    try (Host h = SshTarget.builder("127.0.0.1").port(sshd.port()).knownHosts(sshd.knownHosts)
        .addIdentities(rsaFile, encFile).passphrase("correct horse").connect()) {
      assertThat(h.execute("printf", "ok").stdout()).isEqualTo("ok");
    }
    assertThatThrownBy(() -> SshTarget.builder("127.0.0.1").port(sshd.port()).knownHosts(sshd.knownHosts)
        .addIdentities(encFile).passphrase("wrong").connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("cannot read identity " + encFile);
    assertThatThrownBy(() -> SshTarget.builder("127.0.0.1").port(sshd.port()).addIdentities(dir.resolve("missing")).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("cannot read identity");
  }

  @Test
  @RequiresReal(tools = {"ssh-keygen"})
  void opensshKeyFilesMadeBySshKeygenWork() throws Exception {
    for (String type : new String[] {"ed25519", "rsa"}) {
      Path key = dir.resolve("id_" + type);
      Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "midplane-test", "-f", key.toString())
          .redirectErrorStream(true).start();
      assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
      try (TestSshd s = TestSshd.start(Files.createDirectories(dir.resolve("srv-" + type)))) {
        KeyPair kp = SshConnectionKeys.load(key);
        s.server.setPublickeyAuthenticator((user, k, session) -> KeyUtils.compareKeys(k, kp.getPublic()));
        try (Host h = SshTarget.builder("127.0.0.1").port(s.port()).knownHosts(s.knownHosts).addIdentities(key).connect()) {
          assertThat(h.execute("printf", type).stdout()).isEqualTo(type);
        }
      }
    }
  }

  @Test
  void aClosedPortFailsFastWithTheAddress() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int closed = port;
    assertThatThrownBy(() -> sshd.target().port(closed).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("root@127.0.0.1:" + closed)
        .hasMessageContaining("cannot connect");
    // Lazily, the failure comes with the first command, as a command that could not start.
    try (Host lazy = sshd.target().port(closed).connectTimeout(Duration.ofSeconds(5)).connectLazily()) {
      assertThatThrownBy(() -> lazy.execute("true"))
          .isInstanceOf(CommandFailedException.class)
          .hasMessageContaining("could not be started")
          .hasCauseInstanceOf(SshConnectException.class);
      assertThatThrownBy(() -> Files.readString(lazy.path("/etc/hostname"))).isInstanceOf(IOException.class)
          .hasMessageContaining("cannot connect");
    }
  }

  @Test
  void targetsValidateTheirInputBeforeConnecting() {
    assertThatThrownBy(() -> SshTarget.builder("-oProxyCommand=x").addKeyPairs(sshd.clientKey).build())
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> SshTarget.builder("blade1").build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no identity");
    assertThatThrownBy(() -> SshTarget.builder("blade1").addKeyPairs(sshd.clientKey).port(70000).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SshTarget.builder("blade1").addKeyPairs(sshd.clientKey).user("root; rm").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SshTarget.builder("::1").addKeyPairs(sshd.clientKey).build().hostName())
        .isInstanceOf(InvalidNameException.class).hasMessageContaining("name(...)");
    SshTarget t = SshTarget.builder("::1").addKeyPairs(sshd.clientKey).passphrase("secret").build();
    assertThat(t.toString()).doesNotContain("secret");
  }
}
