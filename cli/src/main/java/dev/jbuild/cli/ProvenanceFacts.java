package dev.jbuild.cli;

import dev.jbuild.exporters.attest.ProvenanceRequest;
import dev.jbuild.exporters.attest.ProvenanceRequest.Material;
import dev.jbuild.frontend.BuildPlan;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.frontend.ImageRecipe;
import dev.jbuild.oci.Digest;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What provenance records about a build, read from the request and the planned graph: the
 * frontend's arguments, the images and checksummed downloads each platform's build reads, and
 * (mode=max) the steps in the order they run.
 */
final class ProvenanceFacts {
  static final String BUILDER_ID = "https://jbuild.dev/builder/local";

  private ProvenanceFacts() {}

  static ProvenanceRequest request(ProvenanceRequest.Mode mode, BuildPlan plan, BuildRequest request,
      String dockerfileText, Instant started, Instant finished, List<String> names) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("filename", request.dockerfileName());
    request.target().ifPresent(t -> args.put("target", t));
    request.buildArgs().forEach((k, v) -> args.put("build-arg:" + k, v));
    request.labels().forEach((k, v) -> args.put("label:" + k, v));
    Map<Platform, List<Material>> materials = new LinkedHashMap<>();
    Map<Platform, List<String>> steps = new LinkedHashMap<>();
    for (ImageRecipe r : plan.images()) {
      List<Vertex> order = new ArrayList<>();
      walk(r.root(), Collections.newSetFromMap(new IdentityHashMap<>()), order);
      List<Material> m = new ArrayList<>();
      for (Vertex v : order) {
        material(v.op()).filter(x -> !m.contains(x)).ifPresent(m::add);
      }
      materials.put(r.platform(), m);
      steps.put(r.platform(), order.stream().map(Vertex::name).toList());
    }
    boolean max = mode == ProvenanceRequest.Mode.MAX;
    return new ProvenanceRequest(mode, BUILDER_ID, args, materials, GitCheckout.find(request.contextDir()),
        max ? Optional.of(dockerfileText) : Optional.empty(), max ? steps : Map.of(), started, finished, names);
  }

  /** Inputs before the vertices that use them. */
  private static void walk(Vertex v, Set<Vertex> seen, List<Vertex> order) {
    if (!seen.add(v)) {
      return;
    }
    for (Vertex in : v.op().inputs()) {
      walk(in, seen, order);
    }
    order.add(v);
  }

  private static Optional<Material> material(Op op) {
    if (op instanceof Op.Image i) {
      ImageReference ref = ImageReference.parse(i.pinnedRef());
      Digest d = ref.digest().orElseThrow();
      return Optional.of(new Material("pkg:docker/" + ref.repositoryName() + "@" + d + "?platform="
          + URLEncoder.encode(i.platform().toString(), StandardCharsets.UTF_8), d));
    }
    if (op instanceof Op.Http h && h.checksum().isPresent()) {
      return Optional.of(new Material(GitCheckout.withoutCredentials(h.url()), h.checksum().get()));
    }
    return Optional.empty();
  }
}
