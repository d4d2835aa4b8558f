package dev.jbuild.progress;

import java.time.Duration;

/**
 * The one event stream of a build (like BuildKit's vertex/status/log events). Renderers turn it
 * into tty, plain or JSON output; nothing else in jbuild prints progress.
 */
public sealed interface ProgressEvent {
  /** The vertex number, unique in a build, in order of first appearance. */
  int vertex();

  record Started(int vertex, String name) implements ProgressEvent {}

  record Cached(int vertex, String name) implements ProgressEvent {}

  /** Output of a running step; {@code stream} 1 = stdout, 2 = stderr. */
  record Log(int vertex, int stream, byte[] data) implements ProgressEvent {}

  /** A short status line inside a step (e.g. "pushing layers"). */
  record Status(int vertex, String message) implements ProgressEvent {}

  /** Why a step that is about to run missed the cache (which input changed since the last build). */
  record CacheMiss(int vertex, String reason) implements ProgressEvent {}

  record Completed(int vertex, Duration elapsed) implements ProgressEvent {}

  record Failed(int vertex, Duration elapsed, String message) implements ProgressEvent {}

  /** A started step stopped because another step failed first (BuildKit's CANCELED). */
  record Canceled(int vertex, Duration elapsed) implements ProgressEvent {}
}
