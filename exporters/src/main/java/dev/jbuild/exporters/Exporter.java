package dev.jbuild.exporters;

import dev.jbuild.progress.Progress;

/** Turns built images into one output (registry push, OCI archive, …). */
public interface Exporter {
  ExportResult export(ImageSet images, Progress progress) throws ExportException, InterruptedException;
}
