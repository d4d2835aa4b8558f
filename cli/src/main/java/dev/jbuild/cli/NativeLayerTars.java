package dev.jbuild.cli;

import dev.jbuild.exporters.LayerTars;
import dev.jbuild.nativeexec.LayerException;
import dev.jbuild.nativeexec.LayerWriter;
import dev.jbuild.nativeexec.RootfsApplier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The rootfs outputs' layer tar work done by the native module (exporters do not depend on it). */
public final class NativeLayerTars implements LayerTars {
  @Override
  public Applier newApplier() {
    RootfsApplier applier = new RootfsApplier();
    return (layerTar, root) -> {
      try {
        applier.apply(layerTar, root);
      } catch (LayerException e) {
        throw new InvalidLayerException(e.getMessage(), e);
      }
    };
  }

  @Override
  public void writeTar(Path dir, OutputStream out) throws IOException {
    new LayerWriter(Optional.empty()).write(dir, Set.of(), out);
  }
}
