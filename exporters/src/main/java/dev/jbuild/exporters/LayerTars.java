package dev.jbuild.exporters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The layer tar work the rootfs outputs need — applying layers onto a directory and writing a
 * directory as one tar — supplied by the caller (the CLI passes native's), so that exporters do
 * not depend on the native module.
 */
public interface LayerTars {
  /** A fresh applier for one root filesystem: layers are applied in order, whiteouts executed. */
  Applier newApplier();

  /** Writes the files under {@code dir} as one tar, as an image layer of them is written. */
  void writeTar(Path dir, OutputStream out) throws IOException;

  /** Applies layers onto one root, remembering what it needs to finish them (directory times). */
  interface Applier {
    /** @throws InvalidLayerException when the layer cannot be applied safely or is not a valid tar */
    void apply(InputStream layerTar, Path root) throws IOException, InvalidLayerException;
  }

  /** A layer that cannot be applied safely or is not a valid tar; the message is for people. */
  final class InvalidLayerException extends Exception {
    public InvalidLayerException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
