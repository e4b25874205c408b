package dev.midplane.ssh;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/** Loads a test key pair from an OpenSSH private key file. */
final class SshConnectionKeys {
  private SshConnectionKeys() {}

  static KeyPair load(Path file) {
    Iterator<KeyPair> it = new FileKeyPairProvider(file).loadKeys(null).iterator();
    if (!it.hasNext()) {
      throw new AssertionError("no key in " + file);
    }
    return it.next();
  }
}
