package dev.jbuild.oci;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** An OCI content descriptor. {@code platform} and {@code annotations} may be null/empty. */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations, PlatformSpec platform) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest.toString(), size, Map.of(), null);
  }

  public Digest digestValue() {
    return Digest.parse(digest);
  }

  public Descriptor withPlatform(PlatformSpec p) {
    return new Descriptor(mediaType, digest, size, annotations, p);
  }

  public Descriptor withAnnotations(Map<String, String> a) {
    return new Descriptor(mediaType, digest, size, a, platform);
  }

  static Descriptor read(JsonFields.In in) throws InvalidDocumentException {
    return new Descriptor(in.string("mediaType"), in.string("digest"), in.longValue("size"), in.stringMap("annotations"),
        in.object("platform", PlatformSpec::read));
  }

  static void write(JsonFields.Out out, Descriptor d) throws IOException {
    out.stringUnlessEmpty("mediaType", d.mediaType);
    out.stringUnlessEmpty("digest", d.digest);
    out.number("size", d.size);
    out.mapUnlessEmpty("annotations", d.annotations);
    out.objectUnlessNull("platform", d.platform, PlatformSpec::write);
  }
}
