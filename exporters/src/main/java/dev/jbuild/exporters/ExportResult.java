package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import java.util.List;

/**
 * What an exporter produced.
 *
 * @param root the image index (several platforms) or manifest (one platform)
 * @param names the references or paths written
 */
public record ExportResult(Descriptor root, List<String> names) {
  public ExportResult {
    names = List.copyOf(names);
  }
}
