package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Path;

/** A writable root filesystem made by a {@link Snapshotter}; closing it unmounts it. */
public interface MountedRoot extends AutoCloseable {
  /** The directory to use as the container's root. */
  Path path();

  /** Unmounts; the upper dir then holds the changes. Closing twice does nothing. */
  @Override
  void close() throws IOException;
}
