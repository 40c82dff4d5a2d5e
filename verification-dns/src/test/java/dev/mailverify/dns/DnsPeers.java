package dev.mailverify.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** DNS peers that misbehave on purpose: one that never answers, one that answers SERVFAIL. */
final class DnsPeers {
  private DnsPeers() {}

  /** A UDP socket on 127.0.0.1 that receives queries and never answers. */
  static final class Silent implements AutoCloseable {
    private final DatagramSocket socket;

    Silent() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A UDP responder on 127.0.0.1 that answers every query with SERVFAIL. */
  static final class ServFail implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    final AtomicInteger answered = new AtomicInteger();

    ServFail() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      thread = new Thread(this::serve, "servfail-responder");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      byte[] buffer = new byte[4096];
      while (!socket.isClosed()) {
        try {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          socket.receive(packet);
          Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
          Message reply = new Message(query.getHeader().getID());
          reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
          reply.getHeader().setRcode(Rcode.SERVFAIL);
          reply.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
          byte[] out = reply.toWire();
          answered.incrementAndGet(); // before the answer, so the test sees it when the check returns
          socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
        } catch (IOException e) {
          // closed: the loop ends
        }
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
