package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication through a running ssh-agent: a real OpenSSH {@code ssh-agent} started per test,
 * keys made by {@code ssh-keygen} and loaded with {@code ssh-add}, against the embedded server
 * (and OpenSSH's sshd); no key file given to the target unless a test says so.
 */
class AgentAuthTest {
  @TempDir
  Path dir;
  TestSshd sshd;
  RealAgent agent;

  @BeforeEach
  void start() {
    sshd = TestSshd.start(dir);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    sshd.close();
  }

  private RealAgent agent() throws Exception {
    agent = RealAgent.start(Files.createDirectories(dir.resolve("agent")));
    return agent;
  }

  private SshTarget.Builder agentOnly(Path socket) {
    return SshTarget.builder("127.0.0.1").port(sshd.port()).knownHosts(sshd.knownHosts).agentSocket(socket);
  }

  private void accept(PublicKey key) {
    sshd.server.setPublickeyAuthenticator((user, k, session) -> KeyUtils.compareKeys(k, key));
  }

  private static PublicKey publicKey(Path privateKeyFile) {
    return SshConnectionKeys.load(privateKeyFile).getPublic();
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen"})
  void ed25519AndEcdsaKeysHeldOnlyByTheAgentAuthenticate() throws Exception {
    RealAgent a = agent();
    for (String type : new String[] {"ed25519", "ecdsa"}) {
      Path key = a.keygen(type, "agent_" + type);
      a.add(key);
      accept(publicKey(key));
      Files.delete(key);
      try (Host h = agentOnly(a.socket).connect()) {
        assertThat(h.execute("printf", type).stdout()).isEqualTo(type);
      }
    }
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen"})
  void anRsaKeyInTheAgentSignsWithSha2AndAServerTakingOnlyRsaSha256AcceptsIt() throws Exception {
    RealAgent a = agent();
    Path key = a.keygen("rsa", "agent_rsa");
    a.add(key);
    PublicKey pub = publicKey(key);
    accept(pub);
    // The server announces (server-sig-algs) and verifies rsa-sha2-256 only among RSA signatures:
    // ssh-rsa (SHA-1) or rsa-sha2-512 would fail.
    sshd.server.setSignatureFactories(List.of(BuiltinSignatures.ed25519, BuiltinSignatures.rsaSHA256));
    sshd.server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(List.of(BuiltinSignatures.rsaSHA256))));
    try (Host h = agentOnly(a.socket).connect()) {
      assertThat(h.execute("printf", "rsa").stdout()).isEqualTo("rsa");
    }
    // The control: the same server verifying no RSA signature refuses the same agent.
    sshd.server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(List.of(BuiltinSignatures.ed25519))));
    assertThatThrownBy(() -> agentOnly(a.socket).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("authentication failed");
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen"})
  void theAgentClientAsksForRsaSha2AndTheSignaturesVerify() throws Exception {
    RealAgent a = agent();
    Path key = a.keygen("rsa", "agent_rsa");
    a.add(key);
    PublicKey pub = publicKey(key);
    byte[] data = "session id and userauth request".getBytes(StandardCharsets.UTF_8);
    try (UnixSocketAgent client = UnixSocketAgent.connect(a.socket, Duration.ofSeconds(10))) {
      List<PublicKey> keys = StreamSupport.stream(client.getIdentities().spliterator(), false)
          .map(Map.Entry::getKey).toList();
      assertThat(keys).hasSize(1);
      assertThat(KeyUtils.compareKeys(keys.get(0), pub)).isTrue();
      for (String[] algo : new String[][] {{"rsa-sha2-256", "SHA256withRSA"}, {"rsa-sha2-512", "SHA512withRSA"}}) {
        Map.Entry<String, byte[]> signed = client.sign(null, pub, algo[0], data);
        assertThat(signed.getKey()).isEqualTo(algo[0]);
        Signature verify = Signature.getInstance(algo[1]);
        verify.initVerify(pub);
        verify.update(data);
        assertThat(verify.verify(signed.getValue())).as(algo[0]).isTrue();
      }
    }
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen"})
  void anAgentWithoutAnAcceptedKeyFailsNamingTheAgentAndWhatItOffered() throws Exception {
    RealAgent a = agent();
    Path offered = a.keygen("ed25519", "not_authorized");
    a.add(offered);
    String fingerprint = KeyUtils.getFingerPrint(publicKey(offered));
    assertThatThrownBy(() -> agentOnly(a.socket).connect())
        .isInstanceOf(SshConnectException.class)
        .isNotInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining("authentication failed")
        .hasMessageContaining("1 identity of the ssh-agent at " + a.socket)
        .hasMessageContaining(fingerprint)
        .hasMessageContaining("not_authorized");
    a.removeAll();
    assertThatThrownBy(() -> agentOnly(a.socket).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("0 identities of the ssh-agent at " + a.socket);
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen"})
  void agentIdentitiesAndKeyFilesAreTriedTogether() throws Exception {
    RealAgent a = agent();
    Path inAgent = a.keygen("ed25519", "in_agent");
    a.add(inAgent);
    // The server knows the file's key only: the agent's is offered, refused, then the file's.
    accept(sshd.clientKey.getPublic());
    try (Host h = sshd.target().agentSocket(a.socket).connect()) {
      assertThat(h.execute("printf", "file").stdout()).isEqualTo("file");
    }
    // The server knows the agent's key only: the target's file is never needed.
    accept(publicKey(inAgent));
    try (Host h = sshd.target().agentSocket(a.socket).connect()) {
      assertThat(h.execute("printf", "agent").stdout()).isEqualTo("agent");
    }
  }

  @Test
  void aSocketThatDoesNotExistIsAClearErrorNamingIt() {
    Path none = dir.resolve("no-agent.sock");
    accept(sshd.clientKey.getPublic());
    assertThatThrownBy(() -> agentOnly(none).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("ssh-agent socket " + none + " does not exist")
        .hasMessageContaining("root@127.0.0.1:" + sshd.port());
    // Even with a key file that would do: an agent asked for and missing is an error, not a silent fallback.
    assertThatThrownBy(() -> sshd.target().agentSocket(none).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining(none.toString());
  }

  @Test
  void aStaleSocketIsRefusedAndASilentAgentTimesOut() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThat(stale).exists();
    assertThatThrownBy(() -> agentOnly(stale).connect())
        .isInstanceOf(SshConnectException.class)
        .hasMessageContaining("cannot connect to the ssh-agent at " + stale);
    // A listener that accepts (in its backlog) and never answers: the request times out.
    Path silent = dir.resolve("silent.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(silent));
      assertThatThrownBy(() -> agentOnly(silent).authTimeout(Duration.ofMillis(500)).connect())
          .isInstanceOf(SshConnectException.class)
          .hasMessageContaining("ssh-agent at " + silent)
          .hasMessageContaining("REQUEST_IDENTITIES")
          .hasMessageContaining("no answer within 500 ms");
    }
  }

  @Test
  void anOversizedAnswerFromTheSocketIsRejectedNamingIt() throws Exception {
    Path liar = dir.resolve("liar.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(liar));
      Thread answering = new Thread(() -> {
        try (SocketChannel c = s.accept()) {
          c.read(ByteBuffer.allocate(5));
          c.write(ByteBuffer.wrap(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 12}));
        } catch (IOException e) {
          // The client's failure is what the test checks.
        }
      });
      answering.start();
      assertThatThrownBy(() -> agentOnly(liar).connect())
          .isInstanceOf(SshConnectException.class)
          .hasMessageContaining("ssh-agent at " + liar + ", REQUEST_IDENTITIES")
          .hasMessageContaining("answer length 2147483647 is outside 1..262144 (header 7fffffff)");
      answering.join(10_000);
    }
  }

  @Test
  void useAgentTakesTheSocketFromSshAuthSock() {
    SshTarget t = SshTarget.builder("blade1").useAgent(Map.of("SSH_AUTH_SOCK", "/run/user/0/agent.sock")).build();
    assertThat(t.agentSocket()).contains(Path.of("/run/user/0/agent.sock"));
    assertThat(t.identities()).isEmpty();
    assertThatThrownBy(() -> SshTarget.builder("blade1").useAgent(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SSH_AUTH_SOCK is not set");
  }

  @Test
  @RequiresReal(tools = {"ssh-agent", "ssh-add", "ssh-keygen", "sshd", "unshare", "mount"}, root = true)
  void openSshSshdAcceptsACommandAuthenticatedThroughTheAgent() throws Exception {
    RealAgent a = agent();
    try (RealSshd real = RealSshd.start(RealSshd.Kind.OPENSSH, Files.createDirectories(dir.resolve("openssh")))) {
      a.add(real.identity);
      try (Host h = SshTarget.builder("127.0.0.1").port(real.port).knownHosts(real.knownHosts)
          .agentSocket(a.socket).connect()) {
        assertThat(h.execute("id", "-un").stdout().strip()).isEqualTo("root");
      }
    }
  }
}
