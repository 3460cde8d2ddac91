package dev.parley.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP push client (SSE or WebSocket, by the request it is given) with a tiny receive buffer
 * that reads only when told to: the client that stops reading, for the back-pressure tests.
 */
final class StalledClient implements AutoCloseable {
  private final Socket socket = new Socket();

  StalledClient(int port, String request) throws IOException {
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads until {@code marker} has arrived, then reads no more; everything read so far. */
  String readUntil(String marker) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[65536];
    int from = 0;
    while (seen.indexOf(marker, from) < 0) {
      from = Math.max(0, seen.length() - marker.length());
      int n = in.read(buffer);
      if (n < 0) {
        throw new AssertionError("closed before " + marker + ": " + seen.substring(Math.max(0, seen.length() - 2000)));
      }
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return seen.toString();
  }

  /** Drains what the kernel still holds: the end of the stream (or a reset) means the server closed it. */
  boolean closedByServer() throws IOException {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65536];
    try {
      while (in.read(buffer) >= 0) {
        // keep draining
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
