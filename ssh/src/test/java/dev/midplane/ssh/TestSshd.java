package dev.midplane.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An embedded Apache MINA SSHD server on 127.0.0.1 for tests: a throw-away ed25519 host key, one
 * authorized client key, and commands run as sshd runs them — {@code <shell> -c <string>} in a
 * session of their own ({@code setsid}) — by a real shell. The shell is {@code /bin/sh} by
 * default; {@link Options#shell} swaps in another, e.g. busybox's ash under {@code env PATH=<applets>}.
 */
final class TestSshd implements AutoCloseable {
  /** How the server runs commands and what it offers. */
  record Options(boolean sftp, List<String> shell, boolean newSession) {
    static Options standard() {
      return new Options(true, List.of("/bin/sh"), true);
    }

    Options withoutSftp() {
      return new Options(false, shell, newSession);
    }
  }

  final SshServer server;
  final KeyPair hostKey;
  final KeyPair clientKey;
  final Path dir;
  final Path identity;
  final Path knownHosts;
  final AtomicInteger sessionsCreated = new AtomicInteger();

  private TestSshd(SshServer server, KeyPair hostKey, KeyPair clientKey, Path dir, Path identity, Path knownHosts) {
    this.server = server;
    this.hostKey = hostKey;
    this.clientKey = clientKey;
    this.dir = dir;
    this.identity = identity;
    this.knownHosts = knownHosts;
  }

  static TestSshd start(Path dir) {
    return start(dir, Options.standard());
  }

  static TestSshd start(Path dir, Options options) {
    try {
      KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      SshServer s = SshServer.setUpDefaultServer();
      s.setHost("127.0.0.1");
      s.setPort(0);
      s.setKeyPairProvider(KeyPairProvider.wrap(host));
      s.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client.getPublic()));
      s.setCommandFactory((channel, command) -> {
        List<String> argv = new ArrayList<>();
        if (options.newSession()) {
          argv.add("setsid");
        }
        argv.addAll(options.shell());
        argv.add("-c");
        argv.add(command);
        return new ProcessCommand(argv);
      });
      s.setFileSystemFactory(NativeFileSystemFactory.INSTANCE);
      if (options.sftp()) {
        s.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
      }
      TestSshd t = new TestSshd(s, host, client, dir, dir.resolve("id_ed25519"), dir.resolve("known_hosts"));
      s.addSessionListener(new SessionListener() {
        @Override
        public void sessionCreated(Session session) {
          t.sessionsCreated.incrementAndGet();
        }
      });
      s.start();
      writeIdentity(client, t.identity, null);
      t.trustHostKey(t.knownHosts);
      return t;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("embedded sshd did not start", e);
    }
  }

  int port() {
    return server.getPort();
  }

  /** A target for this server: 127.0.0.1, its port, the client key, the known_hosts file. */
  SshTarget.Builder target() {
    return SshTarget.builder("127.0.0.1").port(port()).addIdentities(identity).knownHosts(knownHosts);
  }

  /** The known_hosts line for this server's host key. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  void trustHostKey(Path file) {
    try {
      Files.writeString(file, knownHostsLine() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes every session the server holds, as a network failure or a server restart would. */
  void dropAllSessions() {
    server.getActiveSessions().forEach(s -> s.close(true));
  }

  /** Writes {@code key} as an OpenSSH private key file, encrypted when {@code passphrase} is given. */
  static void writeIdentity(KeyPair key, Path file, String passphrase) {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyEncryptionContext enc = null;
      if (passphrase != null) {
        enc = new OpenSSHKeyEncryptionContext();
        enc.setCipherName("AES");
        enc.setCipherMode("CTR");
        enc.setCipherType("256");
        enc.setPassword(passphrase);
      }
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "midplane-test", enc, out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
