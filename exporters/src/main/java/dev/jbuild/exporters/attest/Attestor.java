package dev.jbuild.exporters.attest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Makes statements about an image once its manifest digest is known (provenance, SBOM, …). */
@FunctionalInterface
public interface Attestor {
  Attestor NONE = image -> List.of();

  List<Attestation> attest(AttestedImage image) throws IOException;

  /** The statements of several attestors, in order. */
  static Attestor all(List<Attestor> attestors) {
    List<Attestor> copy = List.copyOf(attestors);
    if (copy.isEmpty()) {
      return NONE;
    }
    return image -> {
      List<Attestation> out = new ArrayList<>();
      for (Attestor a : copy) {
        out.addAll(a.attest(image));
      }
      return out;
    };
  }
}
