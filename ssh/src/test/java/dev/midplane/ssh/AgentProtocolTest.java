package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent protocol codec on messages built by hand, byte by byte, as draft-miller-ssh-agent lays them out. */
class AgentProtocolTest {
  static KeyPair ed25519;
  static KeyPair rsa;

  @BeforeAll
  static void keys() throws Exception {
    ed25519 = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    rsa = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
  }

  private static byte[] blob(KeyPair k) {
    Buffer b = new ByteArrayBuffer();
    b.putRawPublicKey(k.getPublic());
    return b.getCompactData();
  }

  /** An answer body: the type byte, then what {@code fill} puts. */
  private static byte[] message(int type, java.util.function.Consumer<Buffer> fill) {
    Buffer b = new ByteArrayBuffer();
    b.putByte((byte) type);
    fill.accept(b);
    return b.getCompactData();
  }

  private static AgentProtocol.Source source(byte[] bytes) {
    ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(bytes));
    return ch::read;
  }

  @Test
  void requestIdentitiesIsTypeElevenInAOneByteFrame() {
    assertThat(AgentProtocol.requestIdentities()).containsExactly(0, 0, 0, 1, 11);
  }

  @Test
  void aSignRequestCarriesKeyBlobDataAndTheRsaSha2Flags() {
    byte[] data = {1, 2, 3};
    byte[] frame = AgentProtocol.signRequest(blob(rsa), data, AgentProtocol.flags("ssh-rsa", "rsa-sha2-256"));
    Buffer b = new ByteArrayBuffer(frame);
    assertThat(b.getUInt()).isEqualTo(frame.length - 4);
    assertThat(b.getUByte()).isEqualTo(13);
    assertThat(b.getBytes()).isEqualTo(blob(rsa));
    assertThat(b.getBytes()).isEqualTo(data);
    assertThat(b.getUInt()).isEqualTo(2);
    assertThat(b.available()).isZero();

    assertThat(AgentProtocol.flags("ssh-rsa", "rsa-sha2-512")).isEqualTo(4);
    assertThat(AgentProtocol.flags("ssh-rsa", "ssh-rsa")).isZero();
    assertThat(AgentProtocol.flags("ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com")).isEqualTo(2);
    assertThat(AgentProtocol.flags("ssh-ed25519", "ssh-ed25519")).isZero();
    assertThatThrownBy(() -> AgentProtocol.flags("ssh-rsa", "ssh-ed25519"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssh-ed25519");
  }

  @Test
  void anIdentitiesAnswerGivesKeysAndCommentsInOrderKeepingUnknownKeyTypes() throws IOException {
    Buffer unknown = new ByteArrayBuffer();
    unknown.putString("x-unknown-key@example.org");
    unknown.putBytes(new byte[] {9, 9, 9});
    byte[] answer = message(12, b -> {
      b.putUInt(3);
      b.putBytes(blob(ed25519));
      b.putString("ops@console");
      b.putBytes(blob(rsa));
      b.putString("");
      b.putBytes(unknown.getCompactData());
      b.putString("token");
    });
    List<AgentProtocol.Identity> ids = AgentProtocol.identities(answer);
    assertThat(ids).hasSize(3);
    assertThat(KeyUtils.compareKeys(ids.get(0).key().orElseThrow(), ed25519.getPublic())).isTrue();
    assertThat(ids.get(0).comment()).isEqualTo("ops@console");
    assertThat(ids.get(0).describe()).isEqualTo("ssh-ed25519 " + KeyUtils.getFingerPrint(ed25519.getPublic()) + " ops@console");
    assertThat(KeyUtils.compareKeys(ids.get(1).key().orElseThrow(), rsa.getPublic())).isTrue();
    assertThat(ids.get(2).key()).isEmpty();
    assertThat(ids.get(2).blob()).isEqualTo(unknown.getCompactData());
    assertThat(ids.get(2).describe()).isEqualTo("undecodable key token");

    assertThat(AgentProtocol.identities(message(12, b -> b.putUInt(0)))).isEmpty();
  }

  @Test
  void truncatedLyingOrPaddedIdentityAnswersAreRejectedWithEvidence() {
    byte[] truncated = message(12, b -> {
      b.putUInt(2);
      b.putBytes(blob(ed25519));
      b.putString("one");
      b.putUInt(40);
      b.putByte((byte) 1);
    });
    assertThatThrownBy(() -> AgentProtocol.identities(truncated))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed agent answer of type 12, " + truncated.length + " bytes (0c00000002");
    byte[] lying = message(12, b -> b.putUInt(1_000_000));
    assertThatThrownBy(() -> AgentProtocol.identities(lying))
        .isInstanceOf(IOException.class).hasMessageContaining("announces 1000000 identities in 0 bytes");
    byte[] padded = message(12, b -> {
      b.putUInt(0);
      b.putByte((byte) 7);
    });
    assertThatThrownBy(() -> AgentProtocol.identities(padded))
        .isInstanceOf(IOException.class).hasMessageContaining("1 unexpected trailing bytes");
    assertThatThrownBy(() -> AgentProtocol.identities(new byte[] {5}))
        .isInstanceOf(IOException.class).hasMessageContaining("REQUEST_IDENTITIES with SSH_AGENT_FAILURE");
    assertThatThrownBy(() -> AgentProtocol.identities(new byte[] {14, 0}))
        .isInstanceOf(IOException.class).hasMessageContaining("type 14 where 12 answers REQUEST_IDENTITIES");
  }

  @Test
  void aSignResponseMustCarryTheRequestedAlgorithm() throws IOException {
    byte[] sig = "not really a signature".getBytes(StandardCharsets.US_ASCII);
    byte[] ok = signResponse("rsa-sha2-256", sig);
    AgentProtocol.Signature s = AgentProtocol.signature(ok, "rsa-sha2-256");
    assertThat(s.algorithm()).isEqualTo("rsa-sha2-256");
    assertThat(s.blob()).isEqualTo(sig);
    assertThat(AgentProtocol.signature(ok, "rsa-sha2-256-cert-v01@openssh.com").algorithm()).isEqualTo("rsa-sha2-256");
    // An old agent ignoring the flags answers with SHA-1: refused, not sent to the server.
    assertThatThrownBy(() -> AgentProtocol.signature(signResponse("ssh-rsa", sig), "rsa-sha2-256"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("asked for a rsa-sha2-256 signature, the agent made a ssh-rsa one");
    assertThatThrownBy(() -> AgentProtocol.signature(new byte[] {5}, "ssh-ed25519"))
        .isInstanceOf(IOException.class).hasMessageContaining("SIGN_REQUEST with SSH_AGENT_FAILURE");
    byte[] cut = message(14, b -> b.putUInt(100));
    assertThatThrownBy(() -> AgentProtocol.signature(cut, "ssh-ed25519"))
        .isInstanceOf(IOException.class).hasMessageContaining("malformed agent answer of type 14, 5 bytes (0e00000064)");
  }

  private static byte[] signResponse(String algorithm, byte[] sig) {
    Buffer inner = new ByteArrayBuffer();
    inner.putString(algorithm);
    inner.putBytes(sig);
    return message(14, b -> b.putBytes(inner.getCompactData()));
  }

  @Test
  void framesAreReadWholeAndBadLengthsOrEarlyEndsAreRejected() throws IOException {
    byte[] body = {12, 0, 0, 0, 0};
    assertThat(AgentProtocol.readMessage(source(AgentProtocol.frame(body)))).isEqualTo(body);

    byte[] oversized = {0x01, 0x00, 0x00, 0x00, 12};
    assertThatThrownBy(() -> AgentProtocol.readMessage(source(oversized)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answer length 16777216 is outside 1..262144 (header 01000000)");
    assertThatThrownBy(() -> AgentProtocol.readMessage(source(new byte[] {0, 0, 0, 0})))
        .isInstanceOf(IOException.class).hasMessageContaining("answer length 0");
    byte[] cut = {0, 0, 0, 20, 12, 0, 0};
    assertThatThrownBy(() -> AgentProtocol.readMessage(source(cut)))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("connection closed after 3 of 20 bytes of an answer of 20 bytes (0c0000)");
    assertThatThrownBy(() -> AgentProtocol.readMessage(source(new byte[] {0, 0})))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("after 2 of 4 bytes of the length of an answer");
  }
}
