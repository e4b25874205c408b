package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The identities answer on generated input: what an agent encodes is read back exactly, and any
 * cut of a well-formed answer, framed or not, is an error — never a shorter list.
 */
class AgentProtocolPropertiesTest {
  record Id(byte[] blob, String comment) {}

  @Provide
  Arbitrary<List<Id>> ids() {
    Arbitrary<byte[]> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<String> comment = Arbitraries.strings().all().ofMaxLength(16)
        .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    return Combinators.combine(blob, comment).as(Id::new).list().ofMaxSize(5);
  }

  private static byte[] answer(List<Id> ids) {
    Buffer b = new ByteArrayBuffer();
    b.putByte(AgentProtocol.IDENTITIES_ANSWER);
    b.putUInt(ids.size());
    for (Id id : ids) {
      b.putBytes(id.blob());
      b.putString(id.comment(), StandardCharsets.UTF_8);
    }
    return b.getCompactData();
  }

  @Property(tries = 200)
  void whatAnAgentEncodesIsReadBack(@ForAll("ids") List<Id> ids) throws IOException {
    byte[] framed = AgentProtocol.frame(answer(ids));
    byte[] message = AgentProtocol.readMessage(Channels.newChannel(new ByteArrayInputStream(framed))::read);
    List<AgentProtocol.Identity> read = AgentProtocol.identities(message);
    assertThat(read).hasSize(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      assertThat(read.get(i).blob()).isEqualTo(ids.get(i).blob());
      assertThat(read.get(i).comment()).isEqualTo(ids.get(i).comment());
    }
  }

  @Property(tries = 200)
  void everyCutOfAnAnswerIsRejected(@ForAll("ids") List<Id> ids, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
    byte[] message = answer(ids);
    int keep = 1 + cut % (message.length - 1); // 1 .. length-1: the type byte at least, never all
    byte[] shorter = Arrays.copyOf(message, keep);
    assertThatThrownBy(() -> AgentProtocol.identities(shorter)).isInstanceOf(IOException.class)
        .hasMessageContaining("malformed agent answer of type 12, " + keep + " bytes");
    byte[] framedCut = Arrays.copyOf(AgentProtocol.frame(message), 4 + keep);
    assertThatThrownBy(() -> AgentProtocol.readMessage(Channels.newChannel(new ByteArrayInputStream(framedCut))::read))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("after " + keep + " of " + message.length + " bytes");
  }
}
