package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * Receives one {@code multipart/form-data} upload (field {@code file}) into the media folder's
 * {@code uploads/}, streamed chunk by chunk through Vert.x's asynchronous file system: never
 * whole in memory, never a blocking call on the event loop, never more than the limit on disk.
 * The file's name on disk is made here; the client's name is only carried along for display.
 *
 * <p>Past the limit the partial file is deleted at once, the rest of the body (up to
 * {@link #DRAIN_BYTES} more) is read and dropped so the client gets to read the 413, and the
 * answer is a 413; a body announced larger than the limit is refused before it is read.
 */
final class Upload {
  /** Room for the multipart envelope (boundaries, part headers) around the file itself. */
  static final long ENVELOPE_BYTES = 64 * 1024;
  private static final long DRAIN_BYTES = 1024 * 1024;

  /** A finished upload: its name in uploads/, the client's file name and declared type, its size. */
  record Received(String upload, String name, String declaredType, long size) {
  }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final MediaFiles files;
  private final long limit;
  private final String uploadName = Secrets.hex(16) + ".part";
  private final Promise<Received> done = Promise.promise();
  private HttpServerFileUpload part;
  private AsyncFile file;
  private boolean opening;
  private boolean fileDone;
  private boolean requestDone;
  private long received;
  private Failure failure;
  /** Completes once a refused upload's partial file is gone, so a 413 never leaves a file behind. */
  private final Promise<Void> discarded = Promise.promise();

  private Upload(Vertx vertx, HttpServerRequest request, MediaFiles files, long limit) {
    this.vertx = vertx;
    this.request = request;
    this.files = files;
    this.limit = limit;
  }

  /** Starts reading {@code request} (which the caller has paused) and yields the stored upload. */
  static Future<Received> receive(Vertx vertx, HttpServerRequest request, MediaFiles files, long limit) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Failure.future(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send multipart/form-data with the file in a field named file");
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      if (length != null && Long.parseLong(length.trim()) > limit + ENVELOPE_BYTES) {
        return tooLarge(limit);
      }
    } catch (NumberFormatException e) {
      return Future.failedFuture(Failure.invalid(null, "bad Content-Length"));
    }
    return new Upload(vertx, request, files, limit).start();
  }

  private static <T> Future<T> tooLarge(long limit) {
    return Failure.future(ErrorCode.TOO_LARGE, "the file is larger than " + limit + " bytes");
  }

  private Future<Received> start() {
    request.setExpectMultipart(true);
    request.uploadHandler(this::part);
    request.exceptionHandler(cause -> fail(Failure.invalid(null, "the upload was interrupted")));
    request.endHandler(v -> {
      requestDone = true;
      if (part == null && failure == null) {
        fail(Failure.invalid("file", "a multipart field named file is required"));
      }
      settle();
    });
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    request.resume();
    return done.future();
  }

  private void part(HttpServerFileUpload upload) {
    if (part != null || !"file".equals(upload.name())) {
      fail(Failure.invalid("file", "send exactly one file, in the field named file"));
      upload.handler(this::drop);
      return;
    }
    part = upload;
    upload.pause();
    upload.handler(this::chunk);
    upload.exceptionHandler(cause -> fail(Failure.invalid(null, "the upload was interrupted")));
    upload.endHandler(v -> closeFile());
    opening = true;
    vertx.fileSystem().mkdirs(files.uploads().toString())
        .compose(v -> vertx.fileSystem().open(files.upload(uploadName).toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .onComplete(ar -> {
          opening = false;
          if (ar.failed()) {
            fail(new Failure(ErrorCode.UNAVAILABLE, "cannot store uploads right now"));
          } else {
            file = ar.result();
            file.exceptionHandler(cause -> fail(new Failure(ErrorCode.UNAVAILABLE, "cannot store uploads right now")));
          }
          if (failure != null) {
            discardFile();
          }
          upload.resume();
        });
  }

  private void chunk(Buffer chunk) {
    if (failure != null) {
      drop(chunk);
      return;
    }
    received += chunk.length();
    if (received > limit) {
      fail(new Failure(ErrorCode.TOO_LARGE, "the file is larger than " + limit + " bytes"));
      return;
    }
    file.write(chunk);
    if (file.writeQueueFull()) {
      part.pause();
      file.drainHandler(v -> part.resume());
    }
  }

  /** After a refusal the body is still read (and dropped) for a while, so the 413 can be read. */
  private void drop(Buffer chunk) {
    received += chunk.length();
    if (received > limit + DRAIN_BYTES) {
      discarded.future().onComplete(v -> done.tryFail(failure));
    }
  }

  private void closeFile() {
    if (failure != null || file == null) {
      return;
    }
    file.close().onComplete(ar -> {
      if (ar.failed()) {
        fail(new Failure(ErrorCode.UNAVAILABLE, "cannot store uploads right now"));
      }
      fileDone = true;
      settle();
    });
  }

  private void fail(Failure cause) {
    if (failure == null) {
      failure = cause;
      discardFile();
    }
    settle();
  }

  /** Deletes the partial file (once it is open; an open in flight deletes it when it completes). */
  private void discardFile() {
    if (opening) {
      return;
    }
    if (file == null) {
      discarded.tryComplete();
      return;
    }
    AsyncFile open = file;
    file = null;
    String path = files.upload(uploadName).toString();
    open.close().eventually(() -> vertx.fileSystem().delete(path)).onComplete(ar -> discarded.tryComplete());
  }

  private void settle() {
    if (!requestDone) {
      return;
    }
    if (failure != null) {
      discarded.future().onComplete(v -> done.tryFail(failure));
    } else if (fileDone) {
      done.tryComplete(new Received(uploadName, MediaFiles.displayName(part.filename()), part.contentType(), received));
    }
  }
}
