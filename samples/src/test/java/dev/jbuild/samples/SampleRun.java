package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Podman;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RealisticBases;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One sample directory built the way its seed document builds it — unmodified Dockerfile, base
 * images through the docker.io mirror — for linux/amd64 and linux/arm64 with the real CLI, pushed
 * to the test registry, then inspected with skopeo/umoci and run by podman. Build times go to
 * {@code target/sample-times.tsv} for the benchmarks note.
 */
final class SampleRun implements AutoCloseable {
  static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, RealisticBases.Mirror> MIRRORS = new LinkedHashMap<>();
  private static final Pattern STEP = Pattern.compile("^#(\\d+) (\\[.*)$");
  private static final Pattern DONE = Pattern.compile("^#(\\d+) DONE ([0-9.]+)s$");

  final String name;
  final Path work;
  final Path store;
  final RealisticBases.Mirror mirror;
  final Podman podman;

  private SampleRun(String name, Path work, RealisticBases.Mirror mirror) throws IOException {
    this.name = name;
    this.work = work;
    this.store = Files.createDirectories(work.resolve("store"));
    this.mirror = mirror;
    this.podman = Podman.start(work.resolve("podman"));
  }

  /**
   * {@code @RegisterExtension static final SampleRun.Extension sample = new SampleRun.Extension("NAME")}:
   * a {@link SampleRun} for the test class, on the run's registry, in a temp dir removed afterwards.
   */
  static final class Extension implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private SampleRun run;
    private Path work;

    Extension(String name) {
      this.name = name;
    }

    SampleRun get() {
      return run;
    }

    @Override
    public void beforeAll(ExtensionContext c) throws Exception {
      work = Files.createTempDirectory("jbuild-sample-" + name);
      run = start(name, RegistryExtension.shared(c), work.resolve("run"));
    }

    @Override
    public void afterAll(ExtensionContext c) throws IOException {
      try {
        if (run != null) {
          run.close();
        }
      } finally {
        try (var walk = Files.walk(work)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  static SampleRun start(String sample, TestRegistry registry, Path work) throws IOException {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    return new SampleRun(sample, Files.createDirectories(work), mirror(registry));
  }

  /** The realistic bases in {@code registry} (copied there once per registry) and the mirror config. */
  static RealisticBases.Mirror mirror(TestRegistry registry) {
    synchronized (MIRRORS) {
      return MIRRORS.computeIfAbsent(registry.hostPort(),
          k -> RealisticBases.serve(registry, registry.logFile().getParent().resolve("mirror")));
    }
  }

  Path dir() {
    return BaseImages.projectRoot().resolve("samples").resolve(name);
  }

  /** Where the sample is pushed: {@code REGISTRY/samples/NAME:latest}. */
  String image() {
    return mirror.hostPort() + "/samples/" + name + ":latest";
  }

  /** Builds both platforms and pushes; {@code phase} (cold, cached…) labels the recorded times. */
  Processes.Result build(String phase, String... extra) {
    return build(phase, image(), dir(), extra);
  }

  /** Builds {@code context} for both platforms and pushes it as {@code image}. */
  Processes.Result build(String phase, String image, Path context, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--config", mirror.configFile().toString(),
        "--platform", String.join(",", PLATFORMS), "--progress=plain", "--ca-certs=host",
        "--iidfile", work.resolve("iid").toString(), "-t", image, "--push"));
    args.addAll(List.of(extra));
    args.add(context.toString());
    return jbuild(phase, args);
  }

  /**
   * {@code jbuild bake -f FILE --push}, as a compose user builds: the platforms and everything
   * else come from the file; {@code extra} (e.g. {@code --set}) goes before the file's targets.
   */
  Processes.Result bake(String phase, Path file, String... extra) {
    List<String> args = new ArrayList<>(List.of("bake", "--config", mirror.configFile().toString(), "--progress=plain",
        "--ca-certs=host", "-f", file.toString(), "--push"));
    args.addAll(List.of(extra));
    return jbuild(phase, args);
  }

  private Processes.Result jbuild(String phase, List<String> args) {
    long start = System.nanoTime();
    Processes.Result r = Cli.jbuild(store, args.toArray(String[]::new));
    double wall = (System.nanoTime() - start) / 1e9;
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    record(phase, wall, r.stderr());
    return r;
  }

  String indexDigest() {
    try {
      return Files.readString(work.resolve("iid")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pushed index as skopeo sees it: architecture → manifest digest, checked to be the two platforms. */
  Map<String, String> manifests() throws IOException {
    return manifests(image());
  }

  Map<String, String> manifests(String image) throws IOException {
    JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "docker://" + image));
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode m : index.get("manifests")) {
      if (m.path("annotations").path("vnd.docker.reference.type").asText().equals("attestation-manifest")) {
        continue;
      }
      JsonNode p = m.get("platform");
      out.put(p.get("architecture").asText(), m.get("digest").asText());
    }
    assertEquals(List.of("amd64", "arm64"), List.copyOf(out.keySet()), index.toString());
    return out;
  }

  /** The image config of one platform, read with skopeo. */
  JsonNode config(String arch) throws IOException {
    return config(image(), arch);
  }

  JsonNode config(String image, String arch) throws IOException {
    String ref = image.substring(0, image.lastIndexOf(':')) + "@" + manifests(image).get(arch);
    return JSON.readTree(skopeo("inspect", "--config", "--raw", "docker://" + ref));
  }

  /** The root filesystem of one platform's image, copied with skopeo and unpacked with umoci. */
  Path unpack(String arch) throws IOException {
    return unpack(image(), arch);
  }

  Path unpack(String image, String arch) throws IOException {
    String repo = image.substring(0, image.lastIndexOf(':'));
    Path bundle = work.resolve("bundle-" + repo.substring(repo.lastIndexOf('/') + 1) + "-" + arch);
    if (!Files.isDirectory(bundle)) {
      Path layout = work.resolve("layout-" + repo.substring(repo.lastIndexOf('/') + 1) + "-" + arch);
      String ref = repo + "@" + manifests(image).get(arch);
      Processes.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
          "oci:" + layout + ":img")).assertSuccess();
      Processes.run(List.of("umoci", "unpack", "--image", layout + ":img", bundle.toString())).assertSuccess();
    }
    return bundle.resolve("rootfs");
  }

  /** The first line a detached container printed, waiting for it. */
  String firstLogLine(String container) throws InterruptedException {
    return await(() -> sample(podman.logs(container).stdout()), container + " printed nothing");
  }

  private static String sample(String out) {
    return out.isEmpty() ? null : out.lines().findFirst().orElseThrow();
  }

  /** Polls {@code probe} every 200 ms for up to 90 s (node under qemu starts slowly) until it gives a value. */
  static String await(java.util.function.Supplier<String> probe, String failure) throws InterruptedException {
    for (int i = 0; i < 450; i++) {
      String v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(failure + " within 90s");
  }

  /** GETs {@code url} from inside a running container (its own network namespace) with its node. */
  String httpGetInside(String container, String url) throws InterruptedException {
    String script = "require('http').get('" + url + "',r=>{let b='';r.on('data',d=>b+=d);"
        + "r.on('end',()=>process.stdout.write(r.statusCode+' '+b))}).on('error',e=>{console.error(e.message);process.exit(1)})";
    return await(() -> {
      Processes.Result r = podman.exec(container, "node", "-e", script);
      return r.exitCode() == 0 ? r.stdout() : null;
    }, container + " did not answer " + url);
  }

  /** Starts the image's own command for {@code platform}, GETs {@code urls} inside it, removes it. */
  List<String> serve(String platform, String... urls) throws InterruptedException {
    String container = name + "-" + platform.replace('/', '-');
    podman.runDetached(container, platform, image());
    try {
      List<String> answers = new ArrayList<>();
      for (String url : urls) {
        answers.add(httpGetInside(container, url));
      }
      return answers;
    } finally {
      podman.remove(container);
    }
  }

  /** The ELF machine of a binary: 62 is x86-64, 183 is AArch64. */
  static int elfMachine(Path binary) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(binary)) {
      head = in.readNBytes(20);
    }
    assertTrue(head.length == 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F',
        binary + " is not an ELF file");
    return (head[18] & 0xff) | (head[19] & 0xff) << 8;
  }

  /**
   * Every step of a rebuild came from the cache, and the images are the same: the index itself
   * differs, as with buildx, by the build times in its default provenance.
   */
  void assertFullyCached(Processes.Result r, String firstDigest) {
    Map<String, String> outcomes = PlainProgress.outcomes(r.stderr());
    assertTrue(outcomes.entrySet().stream().noneMatch(e -> e.getKey().matches("\\[.*\\] (RUN|COPY|ADD|WORKDIR) .*")
        && !e.getValue().equals("CACHED")), "a step ran again on the rebuild:\n" + r.stderr());
    String repository = image().substring(0, image().lastIndexOf(':'));
    try {
      assertEquals(manifests(repository + "@" + firstDigest), manifests(), "the cached rebuild gives the same images");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String skopeo(String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.add(args[0]);
    cmd.add("--tls-verify=false");
    cmd.addAll(List.of(args).subList(1, args.length));
    return Processes.run(cmd).assertSuccess().stdout();
  }

  /** Wall time and, per platform, the summed time of the steps that ran (CACHED ones count 0). */
  private void record(String phase, double wall, String progress) {
    Map<Integer, String> names = new LinkedHashMap<>();
    Map<String, Double> perPlatform = new LinkedHashMap<>();
    PLATFORMS.forEach(p -> perPlatform.put(p, 0.0));
    for (String line : progress.split("\n")) {
      Matcher s = STEP.matcher(line);
      if (s.matches()) {
        names.putIfAbsent(Integer.parseInt(s.group(1)), s.group(2));
        continue;
      }
      Matcher d = DONE.matcher(line);
      if (d.matches() && names.containsKey(Integer.parseInt(d.group(1)))) {
        String step = names.get(Integer.parseInt(d.group(1)));
        for (String p : PLATFORMS) {
          if (step.startsWith("[" + p + " ") || step.startsWith("[" + p + "]")) {
            perPlatform.merge(p, Double.parseDouble(d.group(2)), Double::sum);
          }
        }
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(java.util.Locale.ROOT, "%s\t%s\twall\t%.1f%n", name, phase, wall));
    perPlatform.forEach((p, t) -> b.append(String.format(java.util.Locale.ROOT, "%s\t%s\t%s\t%.1f%n", name, phase, p, t)));
    try {
      Path file = Path.of("target", "sample-times.tsv");
      Files.createDirectories(file.getParent());
      Files.writeString(file, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    podman.close();
  }
}
