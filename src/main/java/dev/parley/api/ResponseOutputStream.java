package dev.parley.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link OutputStream} into a chunked HTTP response, for code that writes on a worker thread
 * (an export's {@link java.util.zip.ZipOutputStream}). The server runs in strict thread mode, so
 * every call on the response happens on its event loop: each 64 KiB chunk hops there, and the
 * worker then waits until the response's write queue has room again (its drain handler). A slow
 * client thus slows the writer down; at most about one chunk beyond the queue's bound is ever held
 * in memory, and no event loop ever waits. A closed connection fails the next write.
 */
final class ResponseOutputStream extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  /** A client that takes nothing for this long is given up on (the server's idle timeout usually acts first). */
  private static final long STALL_MS = TimeUnit.MINUTES.toMillis(5);

  private final Context context;
  private final HttpServerResponse response;
  private final byte[] buffer = new byte[CHUNK];
  private int count;
  private long written;
  private volatile IOException gone;
  private volatile CompletableFuture<Void> waiting;

  /** To be made on the response's event loop. */
  ResponseOutputStream(Context context, HttpServerResponse response) {
    this.context = context;
    this.response = response;
    response.closeHandler(v -> fail(new IOException("the client closed the connection")));
    response.exceptionHandler(cause -> fail(new IOException("the connection failed: " + cause, cause)));
  }

  @Override
  public void write(int b) throws IOException {
    if (count == CHUNK) {
      send();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (count == CHUNK) {
        send();
      }
      int n = Math.min(length, CHUNK - count);
      System.arraycopy(bytes, offset, buffer, count, n);
      count += n;
      offset += n;
      length -= n;
    }
  }

  /** Hands what is buffered to the response (and waits for room). */
  @Override
  public void flush() throws IOException {
    if (count > 0) {
      send();
    }
  }

  /** Whether the connection closed (or stalled) under the writer. */
  boolean gone() {
    return gone != null;
  }

  /** Bytes handed to the response so far. */
  long written() {
    return written;
  }

  /** Ends the response, on its event loop, once everything before was flushed. */
  Future<Void> end() {
    Promise<Void> ended = Promise.promise();
    context.runOnContext(v -> {
      if (gone != null) {
        ended.fail(gone);
      } else {
        response.end().onComplete(ended);
      }
    });
    return ended.future();
  }

  private void send() throws IOException {
    Buffer chunk = Buffer.buffer(Arrays.copyOf(buffer, count));
    count = 0;
    CompletableFuture<Void> room = new CompletableFuture<>();
    waiting = room;
    if (gone != null) {
      throw gone;
    }
    context.runOnContext(v -> {
      if (gone != null) {
        room.completeExceptionally(gone);
        return;
      }
      response.write(chunk).onFailure(cause -> fail(new IOException("the write failed: " + cause, cause)));
      if (response.writeQueueFull()) {
        response.drainHandler(drained -> {
          response.drainHandler(null);
          room.complete(null);
        });
      } else {
        room.complete(null);
      }
    });
    try {
      room.get(STALL_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the client was reading");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      fail(new IOException("the client read nothing for " + STALL_MS / 1000 + " s"));
      throw gone;
    }
    written += chunk.length();
  }

  /** The connection is gone: the waiting writer (if any) and every later write fail. */
  private void fail(IOException cause) {
    if (gone == null) {
      gone = cause;
    }
    CompletableFuture<Void> current = waiting;
    if (current != null) {
      current.completeExceptionally(gone);
    }
  }
}
