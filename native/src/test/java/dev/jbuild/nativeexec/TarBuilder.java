package dev.jbuild.nativeexec;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds small layer tars for tests with jbuild's own tar writer. */
final class TarBuilder {
  static final Instant T = Instant.parse("2024-01-02T03:04:05Z");
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarWriter tar = new TarWriter(bytes);

  TarBuilder dir(String name, int mode) {
    return add(TarEntry.of(name, TarEntry.Type.DIRECTORY, mode, 0, 0, T), null);
  }

  TarBuilder file(String name, int mode, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    return add(TarEntry.of(name, TarEntry.Type.FILE, mode, 0, 0, T).withSize(data.length), data);
  }

  TarBuilder symlink(String name, String target) {
    return add(TarEntry.of(name, TarEntry.Type.SYMLINK, 0777, 0, 0, T).withLink(target), null);
  }

  TarBuilder hardlink(String name, String target) {
    return add(TarEntry.of(name, TarEntry.Type.HARDLINK, 0644, 0, 0, T).withLink(target), null);
  }

  TarBuilder add(TarEntry e, byte[] data) {
    try {
      tar.write(e, data == null ? null : Channels.newChannel(new ByteArrayInputStream(data)));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  byte[] build() {
    try {
      tar.finish();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }
}
