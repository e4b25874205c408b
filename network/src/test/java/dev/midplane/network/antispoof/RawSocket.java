package dev.midplane.network.antispoof;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A raw {@code AF_PACKET} socket bound to one interface of a network namespace, through JNA:
 * sends any bytes as a frame, and receives every frame the interface sees. The socket is created
 * by a short-lived thread that enters the namespace with {@code setns(2)} (which changes only the
 * calling thread) and leaves again; a socket stays in the namespace it was created in.
 */
final class RawSocket implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_RAW = 3;
  private static final int ETH_P_ALL = 0x0003;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVTIMEO = 20;
  private static final int O_RDONLY = 0;
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int EAGAIN = 11;

  /** The few libc calls needed. */
  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int if_nametoindex(String name) throws LastErrorException;
  }

  private final int fd;
  private final String where;

  private RawSocket(int fd, String where) {
    this.fd = fd;
    this.where = where;
  }

  /** Opens a socket on {@code device} inside namespace {@code netns} (a name under /run/netns). */
  static RawSocket open(String netns, String device) {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      Callable<RawSocket> inside = () -> {
        LibC c = LibC.INSTANCE;
        int home = c.open("/proc/thread-self/ns/net", O_RDONLY);
        int target = c.open("/run/netns/" + netns, O_RDONLY);
        try {
          c.setns(target, CLONE_NEWNET);
          try {
            int fd = c.socket(AF_PACKET, SOCK_RAW, Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL)));
            int ifindex = c.if_nametoindex(device);
            if (ifindex == 0) {
              c.close(fd);
              throw new IllegalStateException("no device " + device + " in " + netns);
            }
            ByteBuffer sll = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            sll.putShort((short) AF_PACKET);
            sll.order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_ALL);
            sll.order(ByteOrder.LITTLE_ENDIAN).putInt(ifindex);
            c.bind(fd, sll.array(), 20);
            byte[] size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(8 << 20).array();
            c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(150_000).array();
            c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
            return new RawSocket(fd, netns + "/" + device);
          } finally {
            c.setns(home, CLONE_NEWNET);
          }
        } finally {
          c.close(target);
          c.close(home);
        }
      };
      return one.submit(inside).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot open a raw socket on " + netns + "/" + device, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      one.shutdownNow();
    }
  }

  void send(byte[] frame) {
    LibC.INSTANCE.send(fd, frame, frame.length, 0);
  }

  /** Everything received until nothing more arrives for a moment. */
  List<byte[]> drain() {
    List<byte[]> out = new ArrayList<>();
    byte[] buf = new byte[2048];
    while (true) {
      int n;
      try {
        n = LibC.INSTANCE.recv(fd, buf, buf.length, 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == EAGAIN) {
          return out;
        }
        throw new IllegalStateException("recv on " + where + " failed", e);
      }
      out.add(java.util.Arrays.copyOf(buf, n));
    }
  }

  @Override
  public void close() {
    LibC.INSTANCE.close(fd);
  }
}
