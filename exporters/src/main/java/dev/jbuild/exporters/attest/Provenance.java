package dev.jbuild.exporters.attest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeMap;

/**
 * SLSA provenance v1 ({@code https://slsa.dev/provenance/v1}) for each platform's image, in the
 * shape BuildKit gives it: the request in {@code externalParameters}, base images and downloads
 * as {@code resolvedDependencies}; mode=max adds the Dockerfile and the build steps.
 */
public final class Provenance implements Attestor {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://jbuild.dev/provenance/dockerfile/v1";

  private final ProvenanceRequest request;

  public Provenance(ProvenanceRequest request) {
    this.request = request;
  }

  @Override
  public List<Attestation> attest(AttestedImage image) {
    return List.of(new Attestation(PREDICATE_TYPE,
        Statements.statement(PREDICATE_TYPE, image, request.names(), predicate(image))));
  }

  ObjectNode predicate(AttestedImage image) {
    ObjectNode p = Statements.object();
    ObjectNode def = p.putObject("buildDefinition");
    def.put("buildType", BUILD_TYPE);
    ObjectNode external = def.putObject("externalParameters");
    ObjectNode config = external.putObject("configSource");
    config.put("path", request.frontendArgs().getOrDefault("filename", "Dockerfile"));
    request.git().ifPresent(g -> {
      if (!g.remote().isEmpty()) {
        config.put("uri", g.remote());
      }
      config.putObject("digest").put("sha1", g.commit());
    });
    ObjectNode req = external.putObject("request");
    req.put("frontend", "dockerfile.v0");
    ObjectNode args = req.putObject("args");
    new TreeMap<>(request.frontendArgs()).forEach(args::put);
    req.put("platform", image.platform().toString());
    ObjectNode internal = def.putObject("internalParameters");
    internal.put("builderPlatform", dev.jbuild.platform.Platform.host().toString());
    ArrayNode deps = def.putArray("resolvedDependencies");
    for (ProvenanceRequest.Material m : request.materials().getOrDefault(image.platform(), List.of())) {
      ObjectNode d = deps.addObject();
      d.put("uri", m.uri());
      d.putObject("digest").put(m.digest().algorithm(), m.digest().hex());
    }
    request.git().ifPresent(g -> {
      ObjectNode d = deps.addObject();
      d.put("uri", g.remote().isEmpty() ? "git+file:context" : "git+" + g.remote());
      d.putObject("digest").put("sha1", g.commit());
    });
    if (request.mode() == ProvenanceRequest.Mode.MAX) {
      request.dockerfile().ifPresent(text -> internal.putObject("dockerfile")
          .put("path", config.path("path").asText()).put("content", text));
      ArrayNode steps = internal.putObject("buildConfig").putArray("steps");
      List<String> names = request.steps().getOrDefault(image.platform(), List.of());
      for (int i = 0; i < names.size(); i++) {
        steps.addObject().put("id", "step" + i).put("name", names.get(i));
      }
    }
    ObjectNode run = p.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", request.builderId());
    builder.putObject("version").put("jbuild", Provenance.class.getPackage().getImplementationVersion() == null
        ? "dev" : Provenance.class.getPackage().getImplementationVersion());
    ObjectNode meta = run.putObject("metadata");
    meta.put("startedOn", request.startedOn().toString());
    meta.put("finishedOn", request.finishedOn().toString());
    ObjectNode jb = meta.putObject("jbuild");
    jb.put("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT));
    request.git().ifPresent(g -> jb.putObject("vcs").put("revision", g.commit()).put("source", g.remote())
        .put("dirty", g.dirty()));
    return p;
  }
}
