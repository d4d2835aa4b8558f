package dev.jbuild.progress;

/** Receives progress events; called from many threads, so implementations synchronise. */
@FunctionalInterface
public interface ProgressListener {
  void onEvent(ProgressEvent event);

  ProgressListener NONE = e -> { };
}
