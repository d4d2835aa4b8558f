package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** OCI chain ids, which name unpacked snapshots: id(0) = diffId(0), id(n) = sha256(id(n-1) + " " + diffId(n)). */
public final class ChainIds {
  private ChainIds() {}

  public static List<Digest> of(List<Digest> diffIds) {
    List<Digest> ids = new ArrayList<>();
    Digest prev = null;
    for (Digest d : diffIds) {
      prev = prev == null ? d : Digest.sha256((prev + " " + d).getBytes(StandardCharsets.US_ASCII));
      ids.add(prev);
    }
    return ids;
  }
}
