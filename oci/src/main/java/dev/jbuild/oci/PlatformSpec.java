package dev.jbuild.oci;

import dev.jbuild.platform.Platform;
import java.io.IOException;

/** The {@code platform} object of an index entry, as written on the wire. */
public record PlatformSpec(String architecture, String os, String variant) {

  public static PlatformSpec of(Platform p) {
    return new PlatformSpec(p.architecture(), p.os(), p.indexVariant());
  }

  public Platform toPlatform() {
    return Platform.normalise(os == null ? "linux" : os, architecture == null ? "" : architecture, variant);
  }

  /** Fields other than these three ({@code os.version}, {@code os.features}) are not kept. */
  static PlatformSpec read(JsonFields.In in) throws InvalidDocumentException {
    return new PlatformSpec(in.string("architecture"), in.string("os"), in.string("variant"));
  }

  static void write(JsonFields.Out out, PlatformSpec p) throws IOException {
    out.stringUnlessEmpty("architecture", p.architecture);
    out.stringUnlessEmpty("os", p.os);
    out.stringUnlessEmpty("variant", p.variant);
  }
}
