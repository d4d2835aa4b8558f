package dev.jbuild.nativeexec;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix socket that relays every connection to another one (an ssh agent), so a container can
 * be given the agent under its own owner and mode without touching the user's socket.
 */
final class SocketForwarder implements AutoCloseable {
  private final Path path;
  private final Path upstream;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SocketForwarder(Path path, Path upstream, ServerSocketChannel server) {
    this.path = path;
    this.upstream = upstream;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "jbuild-socket-forward " + path.getFileName());
    acceptor.setDaemon(true);
  }

  /** Listens at {@code path} (owned by uid:gid, with mode) and relays to {@code upstream}. */
  static SocketForwarder start(Path upstream, Path path, int uid, int gid, int mode) throws IOException {
    if (!Files.exists(upstream)) {
      throw new IOException("the socket " + upstream + " to forward does not exist");
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      Libc.lchown(path, uid, gid);
      Libc.chmod(path, mode);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    SocketForwarder f = new SocketForwarder(path, upstream, server);
    f.acceptor.start();
    return f;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        SocketChannel agent = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
        open.add(client);
        open.add(agent);
        relay(client, agent);
        relay(agent, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void relay(SocketChannel from, SocketChannel to) {
    Thread t = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(16384);
      try {
        while (from.read(buf) >= 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf);
          }
          buf.clear();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "jbuild-socket-relay");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel c : open) {
      closeQuietly(c);
    }
    Files.deleteIfExists(path);
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // already broken
    }
  }
}
