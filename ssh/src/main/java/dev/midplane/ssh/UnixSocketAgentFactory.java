package dev.midplane.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * Gives sshd's public-key authentication a {@link UnixSocketAgent} on one socket: sshd offers the
 * agent's identities first, then the target's key files and key pairs. No agent forwarding.
 */
final class UnixSocketAgentFactory implements SshAgentFactory {
  private final Path socket;
  private final Duration timeout;

  UnixSocketAgentFactory(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  @Override
  public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
    return List.of();
  }

  @Override
  public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
    return UnixSocketAgent.connect(socket, timeout);
  }

  @Override
  public SshAgentServer createServer(ConnectionService service) throws IOException {
    throw new IOException("agent forwarding is not offered (agent at " + socket + ")");
  }
}
