package dev.jbuild.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The frontend against a fake base-image resolver: scoping rules of the Dockerfile reference. */
class DockerfileFrontendTest {
  private final List<String> resolvedRefs = new ArrayList<>();
  private List<String> triggers = List.of();

  private ResolvedImage fakeImage(String ref, Platform p) throws RegistryException {
    resolvedRefs.add(ref + "@" + p);
    if (ref.contains("missing")) {
      throw new RegistryException(ref + ": not found");
    }
    byte[] layer = ("layer of " + ref + p).getBytes();
    ImageConfig config = new ImageConfig("2020-01-01T00:00:00Z", null, p.architecture(), p.os(), p.indexVariant(),
        withTriggers(ImageConfig.Container.EMPTY.withEnv("PATH", "/bin").withEnv("BASEENV", "base").withLabels(Map.of("base", "yes"))),
        new ImageConfig.RootFs("layers", List.of(Digest.sha256(layer).toString())), null);
    Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config.toBytes()), 1),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length)), Map.of());
    byte[] mb = m.toBytes();
    ImageReference r = ImageReference.parse(ref).withDigest(Digest.sha256(mb));
    return new ResolvedImage(r, Digest.sha256(mb), new FetchedManifest(mb, MediaTypes.OCI_MANIFEST, Digest.sha256(mb)), m,
        config.toBytes(), config);
  }

  private ImageConfig.Container withTriggers(ImageConfig.Container c) {
    for (String t : triggers) {
      c = c.withOnBuild(t);
    }
    return c;
  }

  private BuildPlan plan(String dockerfile, Map<String, String> args, List<Platform> platforms, Optional<String> target)
      throws DockerfileException {
    DockerfileFrontend f = new DockerfileFrontend(this::fakeImage, Platform.LINUX_AMD64);
    BuildRequest req = new BuildRequest(Path.of("/ctx"), "Dockerfile", platforms, args, target,
        Map.of("cli", "label"), Optional.empty());
    return f.plan(DockerfileParser.parse("Dockerfile", dockerfile), dockerfile.lines().toList(), req);
  }

  private ImageConfig.Container single(String dockerfile, Map<String, String> args) throws DockerfileException {
    return plan(dockerfile, args, List.of(Platform.LINUX_AMD64), Optional.empty()).images().get(0).config().config();
  }

  @Test
  void globalArgsAreSeenByFromOnlyUnlessRedeclared() throws Exception {
    ImageConfig.Container c = single("""
        ARG BASE=reg.example/base:1
        ARG V=1
        FROM ${BASE}
        LABEL before=[$V]
        ARG V
        LABEL after=[$V]
        """, Map.of());
    assertTrue(resolvedRefs.get(0).startsWith("reg.example/base:1@"), resolvedRefs.toString());
    assertEquals("[]", c.labels().get("before"));
    assertEquals("[1]", c.labels().get("after"));
  }

  @Test
  void buildArgsOverrideDefaultsAndEnvOverridesArg() throws Exception {
    ImageConfig.Container c = single("""
        FROM reg.example/base:1
        ARG A=default
        ARG B=default
        ENV B=fromenv
        LABEL a=$A b=$B base=${BASEENV}
        """, Map.of("A", "cli", "B", "cli"));
    assertEquals("cli", c.labels().get("a"));
    assertEquals("fromenv", c.labels().get("b"));
    assertEquals("base", c.labels().get("base"));
    assertEquals("label", c.labels().get("cli"), "--label is applied");
    assertFalse(c.envOrEmpty().stream().anyMatch(e -> e.startsWith("A=")), "ARG values never reach the config");
  }

  @Test
  void envValuesSeeTheEnvironmentBeforeTheInstruction() throws Exception {
    ImageConfig.Container c = single("""
        FROM reg.example/base:1
        ENV X=1
        ENV X=2 Y=$X
        """, Map.of());
    assertTrue(c.envOrEmpty().contains("X=2"));
    assertTrue(c.envOrEmpty().contains("Y=1"), c.envOrEmpty().toString());
  }

  @Test
  void workdirIsRelativeToThePreviousOneAndCmdUsesTheShell() throws Exception {
    ImageConfig.Container c = single("""
        FROM reg.example/base:1
        WORKDIR /a
        WORKDIR b/../c
        CMD echo hi
        """, Map.of());
    assertEquals("/a/c", c.workingDir());
    assertEquals(List.of("/bin/sh", "-c", "echo hi"), c.cmd());
  }

  /** The names of {@code v} and every vertex it needs, sorted, without image digests. */
  private static List<String> names(Vertex v) {
    List<String> out = new ArrayList<>();
    java.util.ArrayDeque<Vertex> todo = new java.util.ArrayDeque<>(List.of(v));
    java.util.Set<Vertex> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    while (!todo.isEmpty()) {
      Vertex x = todo.poll();
      if (seen.add(x)) {
        out.add(x.name().replaceAll("@sha256:[0-9a-f]{64}", ""));
        todo.addAll(x.op().inputs());
        if (x.op() instanceof Op.Copy c && c.source() instanceof Op.CopySource.State st) {
          todo.add(st.vertex());
        }
      }
    }
    return out.stream().sorted().toList();
  }

  /**
   * As BuildKit names steps in a multi-platform build: a builder stage on the build platform is
   * labelled with that platform for every target (so its shared steps read the same), and its steps
   * after ARG TARGETARCH add the target they cross-build for ({@code ->arm64}).
   */
  @Test
  void stepsOfAStageOnTheBuildPlatformAreLabelledWithIt() throws Exception {
    BuildPlan p = plan("""
        FROM --platform=$BUILDPLATFORM reg.example/base:1 AS builder
        RUN echo shared
        ARG TARGETARCH
        RUN echo $TARGETARCH
        FROM reg.example/base:1
        COPY --from=builder /x /x
        """, Map.of(), List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64), Optional.empty());
    assertEquals(List.of("[linux/amd64 1/2] FROM reg.example/base:1", "[linux/amd64 2/2] COPY --from=builder /x /x",
        "[linux/amd64 builder 1/3] FROM reg.example/base:1", "[linux/amd64 builder 2/3] RUN echo shared",
        "[linux/amd64 builder 3/3] RUN echo $TARGETARCH"), names(p.images().get(0).root()));
    assertEquals(List.of("[linux/amd64 builder 1/3] FROM reg.example/base:1", "[linux/amd64 builder 2/3] RUN echo shared",
        "[linux/amd64->arm64 builder 3/3] RUN echo $TARGETARCH", "[linux/arm64 1/2] FROM reg.example/base:1",
        "[linux/arm64 2/2] COPY --from=builder /x /x"), names(p.images().get(1).root()));
  }

  @Test
  void aTargetOfAnotherOsIsWrittenWhole() {
    assertEquals("linux/amd64->windows/amd64", PlatformPrefix.of(Platform.LINUX_AMD64,
        Map.of("TARGETPLATFORM", "windows/amd64")::get));
    assertEquals("linux/amd64->arm/v7", PlatformPrefix.of(Platform.LINUX_AMD64, Map.of("TARGETARCH", "arm")::get));
    assertEquals("linux/arm64", PlatformPrefix.of(Platform.LINUX_ARM64, Map.of("TARGETOS", "linux")::get));
    assertEquals("linux/amd64", PlatformPrefix.of(Platform.LINUX_AMD64, Map.<String, String>of()::get));
  }

  @Test
  void automaticPlatformArgsFollowEachTargetPlatform() throws Exception {
    BuildPlan p = plan("""
        FROM --platform=$BUILDPLATFORM reg.example/base:1 AS builder
        ARG TARGETARCH
        RUN echo $TARGETARCH
        FROM reg.example/base:1
        ARG TARGETPLATFORM
        LABEL target=$TARGETPLATFORM
        COPY --from=builder /x /x
        """, Map.of(), List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64), Optional.empty());
    assertEquals("linux/arm64", p.images().get(1).config().config().labels().get("target"));
    assertEquals("arm64", p.images().get(1).config().architecture());
    assertTrue(resolvedRefs.contains("reg.example/base:1@linux/amd64"));
    assertTrue(resolvedRefs.contains("reg.example/base:1@linux/arm64"));
    // the builder stage runs on the build platform for both targets
    Op.Copy copy = (Op.Copy) p.images().get(1).root().op();
    Vertex builderRun = ((Op.CopySource.State) copy.source()).vertex();
    Op.Exec exec = (Op.Exec) builderRun.op();
    assertEquals(Platform.LINUX_AMD64, exec.platform());
    assertTrue(exec.env().contains("TARGETARCH=arm64"), exec.env().toString());
  }

  @Test
  void onlyStagesTheTargetNeedsAreResolved() throws Exception {
    plan("""
        FROM reg.example/unused:1 AS unused
        FROM reg.example/base:1 AS wanted
        RUN true
        """, Map.of(), List.of(Platform.LINUX_AMD64), Optional.of("wanted"));
    assertEquals(1, resolvedRefs.size(), resolvedRefs.toString());
  }

  @Test
  void unknownTargetAndMissingBaseAreLocatedErrors() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> plan("FROM reg.example/base:1 AS a\n",
        Map.of(), List.of(Platform.LINUX_AMD64), Optional.of("nope")));
    assertTrue(e.getMessage().contains("target stage \"nope\" could not be found"), e.getMessage());
    DockerfileException m = assertThrows(DockerfileException.class, () -> single("FROM x\nRUN true\nFROM reg.example/missing:2\n", Map.of()));
    assertTrue(m.getMessage().startsWith("Dockerfile:3:1: FROM reg.example/missing:2"), m.getMessage());
  }

  /** As BuildKit: --target names a stage by name (any case); a name no stage has, or an index, is not found. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "FROM scratch\\nCOPY a /a | nope | Dockerfile:1:1: target stage \"nope\" could not be found (no stage is named)",
      "FROM scratch\\nCOPY a /a | 0 | Dockerfile:1:1: target stage \"0\" could not be found (no stage is named)",
      "FROM reg.example/base:1 | nope | Dockerfile:1:1: target stage \"nope\" could not be found (no stage is named)",
      "FROM reg.example/base:1 AS a\\nFROM scratch AS b | nope | Dockerfile:1:1: target stage \"nope\" could not be found (stages: a, b)",
      "FROM reg.example/base:1 AS a\\nFROM scratch AS b | 1 | Dockerfile:1:1: target stage \"1\" could not be found (stages: a, b)",
  })
  void aTargetThatNamesNoStageIsAnErrorForEveryShape(String dockerfile, String target, String message) {
    DockerfileException e = assertThrows(DockerfileException.class, () -> plan(dockerfile.replace("\\n", "\n") + "\n",
        Map.of(), List.of(Platform.LINUX_AMD64), Optional.of(target)));
    assertEquals(message, e.getMessage());
    assertEquals(List.of(), resolvedRefs, "nothing is resolved for a build that cannot start");
  }

  @Test
  void aTargetNamesAStageInAnyCase() throws Exception {
    BuildPlan p = plan("FROM reg.example/base:1 AS Builder\nLABEL stage=builder\nFROM scratch\n", Map.of(),
        List.of(Platform.LINUX_AMD64), Optional.of("bUILDER"));
    assertEquals("builder", p.images().get(0).config().config().labels().get("stage"));
  }

  @Test
  void unusedBuildArgsAreWarnedAbout() throws Exception {
    BuildPlan p = plan("FROM reg.example/base:1\nARG USED\n", Map.of("USED", "1", "UNUSED", "2"),
        List.of(Platform.LINUX_AMD64), Optional.empty());
    assertEquals(List.of("one or more build-args [UNUSED] were not consumed"), p.warnings());
  }

  @Test
  void runEnvironmentHasEnvThenArgs() throws Exception {
    BuildPlan p = plan("""
        FROM reg.example/base:1
        ARG A=1
        ENV E=2
        RUN env
        """, Map.of(), List.of(Platform.LINUX_AMD64), Optional.empty());
    Op.Exec exec = (Op.Exec) p.images().get(0).root().op();
    assertEquals(List.of("PATH=/bin", "BASEENV=base", "E=2", "A=1"), exec.env());
    assertEquals(List.of("/bin/sh", "-c", "env"), exec.args());
  }
  @Test
  void onBuildTriggersRunInTheStageBuiltFromTheDeclaringStageAndAreCleared() throws Exception {
    BuildPlan p = plan("""
        FROM reg.example/base:1 AS base
        ARG PARENT=p1
        ONBUILD RUN echo "trig $PARENT"
        ONBUILD LABEL from=onbuild
        FROM base AS child
        RUN echo child
        FROM child
        RUN echo grandchild
        """, Map.of(), List.of(Platform.LINUX_AMD64), Optional.empty());
    ImageRecipe r = p.images().get(0);
    assertEquals(null, r.config().config().onBuild(), "triggers are cleared once run");
    assertEquals("onbuild", r.config().config().labels().get("from"));
    List<List<String>> runs = new ArrayList<>();
    for (Vertex v = r.root(); v.op() instanceof Op.Exec e; v = e.root()) {
      runs.add(0, e.args());
    }
    assertEquals(List.of(List.of("/bin/sh", "-c", "echo \"trig $PARENT\""), List.of("/bin/sh", "-c", "echo child"),
        List.of("/bin/sh", "-c", "echo grandchild")), runs, "the trigger runs once, first in the child stage");
    Op.Exec trigger = (Op.Exec) ((Op.Exec) ((Op.Exec) r.root().op()).root().op()).root().op();
    assertTrue(trigger.env().contains("PARENT=p1"), "the trigger sees the declaring stage's ARG: " + trigger.env());
    // a failure of the trigger points at the FROM that ran it
    Vertex triggerVertex = ((Op.Exec) ((Op.Exec) r.root().op()).root().op()).root();
    assertEquals(5, p.origin(triggerVertex).orElseThrow().range().startLine());
  }

  @Test
  void onBuildTriggersOfABaseImageRun() throws Exception {
    triggers = List.of("ENV FROM_TRIGGER=1");
    ImageConfig.Container c = single("FROM reg.example/base:1\n", Map.of());
    assertTrue(c.envOrEmpty().contains("FROM_TRIGGER=1"), c.envOrEmpty().toString());
    assertEquals(null, c.onBuild());
  }

  @Test
  void argsOfAParentStageAreSeenByStagesBuiltFromIt() throws Exception {
    BuildPlan p = plan("""
        FROM reg.example/base:1 AS base
        ARG V=1
        FROM base
        RUN echo $V
        """, Map.of(), List.of(Platform.LINUX_AMD64), Optional.empty());
    Op.Exec exec = (Op.Exec) p.images().get(0).root().op();
    assertEquals(List.of("PATH=/bin", "BASEENV=base", "V=1"), exec.env());
  }

  @Test
  void proxyArgsReachRunInBothCasesWithoutAnArgAndStayOutOfTheConfig() throws Exception {
    BuildPlan p = plan("FROM reg.example/base:1\nRUN env\n",
        Map.of("http_proxy", "http://p:1", "NO_PROXY", "x", "HTTPS_PROXY", "https://up", "https_proxy", "https://low"),
        List.of(Platform.LINUX_AMD64), Optional.empty());
    ImageRecipe r = p.images().get(0);
    Op.Exec exec = (Op.Exec) r.root().op();
    assertEquals(List.of("PATH=/bin", "BASEENV=base", "HTTP_PROXY=http://p:1", "http_proxy=http://p:1",
        "HTTPS_PROXY=https://up", "https_proxy=https://up", "NO_PROXY=x", "no_proxy=x"), exec.env());
    assertEquals(List.of("PATH=/bin", "BASEENV=base"), r.config().config().envOrEmpty());
    assertEquals(List.of(), p.warnings(), "predefined args are never unused");
  }
  @Test
  void noCacheFilterMarksTheStageAndWhatIsBuiltOnIt() throws Exception {
    DockerfileFrontend f = new DockerfileFrontend(this::fakeImage, Platform.LINUX_AMD64);
    String df = """
        FROM reg.example/base:1 AS deps
        RUN echo deps
        FROM reg.example/base:1 AS other
        RUN echo other
        FROM reg.example/base:1
        RUN echo first
        COPY --from=deps /x /x
        RUN echo last
        """;
    BuildRequest req = new BuildRequest(Path.of("/ctx"), "Dockerfile", List.of(Platform.LINUX_AMD64), Map.of(),
        Optional.empty(), Map.of(), Optional.empty()).withNoCacheStages(java.util.Set.of("DEPS"));
    ImageRecipe r = f.plan(DockerfileParser.parse("Dockerfile", df), df.lines().toList(), req).images().get(0);
    Vertex last = r.root();
    Vertex copy = ((Op.Exec) last.op()).root();
    Vertex first = ((Op.Copy) copy.op()).dest();
    Vertex deps = ((Op.CopySource.State) ((Op.Copy) copy.op()).source()).vertex();
    assertTrue(deps.ignoresCache(), "a step of the filtered stage (names are case-insensitive)");
    assertFalse(first.ignoresCache(), "a step of another stage");
    assertTrue(copy.ignoresCache(), "a step that reads the filtered stage");
    assertTrue(last.ignoresCache(), "a step built on one that ignores the cache");
  }

  @Test
  void namedContextsReplaceImagesStagesAndCopySources() throws Exception {
    DockerfileFrontend f = new DockerfileFrontend(this::fakeImage, Platform.LINUX_AMD64);
    String df = """
        FROM alpine AS base
        RUN echo never
        FROM base
        COPY --from=proj a /a
        """;
    BuildRequest req = new BuildRequest(Path.of("/ctx"), "Dockerfile", List.of(Platform.LINUX_AMD64), Map.of(),
        Optional.empty(), Map.of(), Optional.empty()).withNamedContexts(Map.of(
            "base", new NamedContext.Image("reg.example/replacement:2"),
            "proj", new NamedContext.LocalDir(Path.of("/work/proj"))));
    ImageRecipe r = f.plan(DockerfileParser.parse("Dockerfile", df), df.lines().toList(), req).images().get(0);
    assertEquals(List.of("reg.example/replacement:2@linux/amd64"), resolvedRefs, "alpine is never resolved: its stage is replaced");
    Op.Copy copy = (Op.Copy) r.root().op();
    assertTrue(((Op.Image) copy.dest().op()).pinnedRef().startsWith("reg.example/replacement:2@sha256:"),
        ((Op.Image) copy.dest().op()).pinnedRef());
    Op.Copy load = (Op.Copy) ((Op.CopySource.State) copy.source()).vertex().op();
    assertEquals(new Op.CopySource.Context(Path.of("/work/proj"), dev.jbuild.solver.PathFilter.NONE), load.source());
    assertEquals(List.of("."), load.sources());
  }
  @Test
  void addOfAGitUrlReadsRefAndSubdirFromTheFragment() throws Exception {
    BuildPlan p = plan("""
        FROM reg.example/base:1
        ADD --keep-git-dir https://git.example/repo.git#v1.2:docs/./api/ /docs
        ADD git@git.example:org/repo.git /plain/
        """, Map.of(), List.of(Platform.LINUX_AMD64), Optional.empty());
    Op.Copy plain = (Op.Copy) p.images().get(0).root().op();
    Op.Copy docs = (Op.Copy) plain.dest().op();
    assertEquals(new Op.Git("https://git.example/repo.git", "v1.2", "docs/api", true),
        ((Op.CopySource.State) docs.source()).vertex().op());
    assertEquals(List.of("."), docs.sources());
    assertEquals("/docs", docs.destination());
    assertEquals(new Op.Git("git@git.example:org/repo.git", "", "", false),
        ((Op.CopySource.State) plain.source()).vertex().op());
    DockerfileException e = assertThrows(DockerfileException.class, () -> single(
        "FROM reg.example/base:1\nADD --keep-git-dir f /f\n", Map.of()));
    assertTrue(e.getMessage().startsWith("Dockerfile:2:1: ADD --keep-git-dir needs a git repository source"), e.getMessage());
  }
}
