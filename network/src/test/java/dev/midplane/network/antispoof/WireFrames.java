package dev.midplane.network.antispoof;

import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * Turns a model {@link Frame} into the bytes a raw socket sends, with a tag (magic and number)
 * at the end of the payload so the receiving side can tell which frame arrived.
 */
final class WireFrames {
  static final int MAGIC = 0x6d706c6e; // "mpln"

  private WireFrames() {}

  static byte[] encode(Frame f, int tag) {
    ByteBuffer b = ByteBuffer.allocate(256);
    mac(b, f.destination());
    mac(b, f.source());
    b.putShort((short) f.etherType());
    if (f.ipv4().isPresent()) {
      ipv4(b, f.ipv4().get(), tag);
    } else if (f.arp().isPresent()) {
      Frame.Arp a = f.arp().get();
      b.putShort((short) a.htype()).putShort((short) a.ptype()).put((byte) a.hlen()).put((byte) a.plen())
          .putShort((short) a.operation());
      mac(b, a.senderMac());
      ip(b, a.senderIp());
      mac(b, a.targetMac());
      ip(b, a.targetIp());
    } else if (f.etherType() == Frame.VLAN) {
      // A real 802.1Q header (VID 100, an experimental inner EtherType): a receiving NIC moves
      // the tag into metadata, and the tag at the end must not be mistaken for it.
      b.putShort((short) 100).putShort((short) 0x88b5);
    }
    b.putInt(MAGIC).putInt(tag);
    while (b.position() < 60) {
      b.put((byte) 0);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static void ipv4(ByteBuffer b, Frame.Ipv4 ip, int tag) {
    int l4 = switch (ip.protocol()) {
      case Frame.UDP -> 8;
      case Frame.TCP -> 20;
      default -> 8;
    };
    int total = 20 + l4 + 8;
    int start = b.position();
    b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) tag)
        .putShort((short) (ip.fragment() ? 0x0001 : 0x4000)) // fragment offset 8 bytes, or don't fragment
        .put((byte) 64).put((byte) ip.protocol()).putShort((short) 0);
    ip(b, ip.source());
    ip(b, ip.destination());
    int sum = checksum(b.array(), start, 20);
    b.putShort(start + 10, (short) sum);
    switch (ip.protocol()) {
      case Frame.UDP -> b.putShort((short) ip.sourcePort()).putShort((short) ip.destinationPort())
          .putShort((short) (8 + 8)).putShort((short) 0);
      case Frame.TCP -> b.putShort((short) ip.sourcePort()).putShort((short) ip.destinationPort()).putInt(1).putInt(0)
          .put((byte) 0x50).put((byte) 0x02).putShort((short) 1024).putShort((short) 0).putShort((short) 0);
      default -> b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1);
    }
  }

  private static int checksum(byte[] a, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      sum += ((a[off + i] & 0xff) << 8) | (a[off + i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static void mac(ByteBuffer b, MacAddress m) {
    for (int i = 0; i < 6; i++) {
      b.put((byte) m.octet(i));
    }
  }

  private static void ip(ByteBuffer b, Ipv4Address a) {
    b.putInt(a.bits());
  }

  /** The tag of a frame this class made, if {@code bytes} is one. */
  static OptionalInt tagOf(byte[] bytes) {
    for (int i = 14; i + 8 <= bytes.length; i++) {
      if (ByteBuffer.wrap(bytes, i, 4).getInt() == MAGIC) {
        return OptionalInt.of(ByteBuffer.wrap(bytes, i + 4, 4).getInt());
      }
    }
    return OptionalInt.empty();
  }
}
