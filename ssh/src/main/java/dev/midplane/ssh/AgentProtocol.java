package dev.midplane.ssh;

import com.google.common.io.BaseEncoding;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The client half of the ssh-agent protocol (draft-miller-ssh-agent), as pure functions over
 * bytes: every message is a {@code uint32} length followed by that many bytes, the first of which
 * is the message type. Only what authentication needs: {@code REQUEST_IDENTITIES} (11) answered
 * by {@code IDENTITIES_ANSWER} (12), and {@code SIGN_REQUEST} (13) answered by
 * {@code SIGN_RESPONSE} (14); {@code FAILURE} (5) is the agent's refusal. Malformed answers —
 * truncated, oversized, with trailing bytes, of an unexpected type — are rejected with the
 * evidence (type, length, the first bytes in hex).
 */
final class AgentProtocol {
  static final byte FAILURE = 5;
  static final byte REQUEST_IDENTITIES = 11;
  static final byte IDENTITIES_ANSWER = 12;
  static final byte SIGN_REQUEST = 13;
  static final byte SIGN_RESPONSE = 14;
  /** {@code SSH_AGENT_RSA_SHA2_256}: sign an RSA key's data with rsa-sha2-256. */
  static final int RSA_SHA2_256 = 2;
  /** {@code SSH_AGENT_RSA_SHA2_512}: sign an RSA key's data with rsa-sha2-512. */
  static final int RSA_SHA2_512 = 4;
  /** The largest message accepted, OpenSSH's own limit (256 KiB). */
  static final int MAX_MESSAGE = 256 * 1024;

  private AgentProtocol() {}

  /** One identity an agent holds: the key blob as sent, the key when sshd can decode it, the comment. */
  record Identity(byte[] blob, Optional<PublicKey> key, String comment) {
    /** {@code ssh-ed25519 SHA256:... comment}, or the blob's type for a key sshd cannot decode. */
    String describe() {
      String c = comment.isEmpty() ? "" : " " + comment;
      return key.map(k -> KeyUtils.getKeyType(k) + " " + KeyUtils.getFingerPrint(k) + c)
          .orElseGet(() -> "undecodable key" + c);
    }
  }

  /** A signature as an agent returns it: the algorithm name and the signature blob proper. */
  record Signature(String algorithm, byte[] blob) {}

  /** Reads bytes from somewhere into {@code dst}; -1 at end of stream. */
  @FunctionalInterface
  interface Source {
    int read(ByteBuffer dst) throws IOException;
  }

  /** The framed {@code REQUEST_IDENTITIES} message. */
  static byte[] requestIdentities() {
    return frame(new byte[] {REQUEST_IDENTITIES});
  }

  /** The framed {@code SIGN_REQUEST} for {@code data} with the key {@code keyBlob} and {@code flags}. */
  static byte[] signRequest(byte[] keyBlob, byte[] data, int flags) {
    Buffer b = new ByteArrayBuffer(keyBlob.length + data.length + 32, false);
    b.putByte(SIGN_REQUEST);
    b.putBytes(keyBlob);
    b.putBytes(data);
    b.putUInt(flags);
    return frame(b.getCompactData());
  }

  /**
   * The {@code SIGN_REQUEST} flags for signing with {@code algorithm} a key of type
   * {@code keyType}: the RSA SHA-2 flags for {@code rsa-sha2-256}/{@code -512}, none otherwise.
   *
   * @throws IllegalArgumentException for an RSA key and an algorithm that is not an RSA one
   */
  static int flags(String keyType, String algorithm) {
    if (!KeyPairProvider.SSH_RSA.equals(stripCert(keyType))) {
      return 0;
    }
    String a = stripCert(algorithm);
    if (a.equals(KeyUtils.RSA_SHA256_KEY_TYPE_ALIAS)) {
      return RSA_SHA2_256;
    }
    if (a.equals(KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS)) {
      return RSA_SHA2_512;
    }
    if (a.equals(KeyPairProvider.SSH_RSA)) {
      return 0;
    }
    throw new IllegalArgumentException("signature algorithm " + algorithm + " does not apply to an RSA key");
  }

  private static String stripCert(String algorithm) {
    return algorithm.replace("-cert-v01@openssh.com", "");
  }

  static byte[] frame(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  /**
   * Reads one message (without its length) from {@code in}.
   *
   * @throws IOException when the stream ends before the whole message, or its length is zero or
   *     above {@link #MAX_MESSAGE}
   */
  static byte[] readMessage(Source in) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4);
    fill(in, header, "the length of an answer");
    long length = Integer.toUnsignedLong(header.getInt(0));
    if (length == 0 || length > MAX_MESSAGE) {
      throw new IOException("answer length " + length + " is outside 1.." + MAX_MESSAGE + " (header "
          + hex(header.array(), 4, 4) + ")");
    }
    ByteBuffer body = ByteBuffer.allocate((int) length);
    fill(in, body, "an answer of " + length + " bytes");
    return body.array();
  }

  private static void fill(Source in, ByteBuffer dst, String what) throws IOException {
    while (dst.hasRemaining()) {
      if (in.read(dst) < 0) {
        throw new EOFException("connection closed after " + dst.position() + " of " + dst.capacity()
            + " bytes of " + what + (dst.position() == 0 ? "" : " (" + hex(dst.array(), dst.position(), 24) + ")"));
      }
    }
  }

  /**
   * The identities of an {@code IDENTITIES_ANSWER} message (type byte included). Keys sshd cannot
   * decode (a type it does not know) are kept with an empty {@link Identity#key()}.
   */
  static List<Identity> identities(byte[] message) throws IOException {
    expectType(message, IDENTITIES_ANSWER, "REQUEST_IDENTITIES");
    Buffer b = new ByteArrayBuffer(Arrays.copyOfRange(message, 1, message.length));
    try {
      long n = b.getUInt();
      // Each identity takes at least two 4-byte lengths: a count beyond that is a lie.
      if (n > b.available() / 8) {
        throw malformed(message, "announces " + n + " identities in " + b.available() + " bytes");
      }
      List<Identity> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        byte[] blob = b.getBytes();
        String comment = b.getString(StandardCharsets.UTF_8);
        out.add(new Identity(blob, decode(blob), comment));
      }
      requireConsumed(message, b);
      return List.copyOf(out);
    } catch (RuntimeException e) {
      throw malformed(message, e.toString());
    }
  }

  /**
   * The signature of a {@code SIGN_RESPONSE} message (type byte included), which must be made
   * with {@code requestedAlgorithm}: an agent that answers an rsa-sha2-256 request with an
   * ssh-rsa (SHA-1) signature is refused rather than sent on.
   */
  static Signature signature(byte[] message, String requestedAlgorithm) throws IOException {
    expectType(message, SIGN_RESPONSE, "SIGN_REQUEST");
    Buffer b = new ByteArrayBuffer(Arrays.copyOfRange(message, 1, message.length));
    Signature s;
    try {
      Buffer inner = new ByteArrayBuffer(b.getBytes());
      requireConsumed(message, b);
      s = new Signature(inner.getString(), inner.getBytes());
      requireConsumed(message, inner);
    } catch (RuntimeException e) {
      throw malformed(message, e.toString());
    }
    if (!s.algorithm().equals(stripCert(requestedAlgorithm))) {
      throw new IOException("asked for a " + requestedAlgorithm + " signature, the agent made a " + s.algorithm() + " one");
    }
    return s;
  }

  private static Optional<PublicKey> decode(byte[] blob) {
    try {
      return Optional.ofNullable(new ByteArrayBuffer(blob).getRawPublicKey());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void expectType(byte[] message, byte expected, String request) throws IOException {
    if (message.length == 0) {
      throw new IOException("empty answer to " + request);
    }
    if (message[0] == FAILURE) {
      throw new IOException("the agent answered " + request + " with SSH_AGENT_FAILURE");
    }
    if (message[0] != expected) {
      throw malformed(message, "type " + (message[0] & 0xff) + " where " + expected + " answers " + request);
    }
  }

  private static void requireConsumed(byte[] message, Buffer b) throws IOException {
    if (b.available() != 0) {
      throw malformed(message, b.available() + " unexpected trailing bytes");
    }
  }

  private static IOException malformed(byte[] message, String why) {
    return new IOException("malformed agent answer of type " + (message[0] & 0xff) + ", " + message.length
        + " bytes (" + hex(message, message.length, 24) + "): " + why);
  }

  /** The first {@code max} of the {@code length} first bytes in hex, "..." when there are more. */
  private static String hex(byte[] bytes, int length, int max) {
    int n = Math.min(max, length);
    return BaseEncoding.base16().lowerCase().encode(bytes, 0, n) + (n < length ? "..." : "");
  }
}
