package dev.jbuild.oci;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The image configuration blob ({@code application/vnd.oci.image.config.v1+json}). Immutable;
 * the {@code with…} methods return changed copies.
 */
public record ImageConfig(String created, String author, String architecture, String os, String variant, Container config,
    RootFs rootfs, List<History> history, String inlineCache) {

  /**
   * jbuild's inline cache ({@code --cache-to type=inline}): an opaque payload the cache module
   * writes and reads. Not BuildKit's {@code moby.buildkit.cache.v0}: its format differs (docs/cache.md).
   */
  public static final String INLINE_CACHE_KEY = "dev.jbuild.cache.v1";

  /** A config without inline cache (what every step but the last export sees). */
  public ImageConfig(String created, String author, String architecture, String os, String variant, Container config,
      RootFs rootfs, List<History> history) {
    this(created, author, architecture, os, variant, config, rootfs, history, null);
  }

  public ImageConfig {
    config = config == null ? Container.EMPTY : config;
    rootfs = rootfs == null ? new RootFs("layers", List.of()) : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** The runtime defaults ({@code config} object). Field names are those of the image spec. */
  public record Container(
      String user,
      Map<String, Map<String, Object>> exposedPorts,
      List<String> env,
      List<String> entrypoint,
      List<String> cmd,
      Map<String, Map<String, Object>> volumes,
      String workingDir,
      Map<String, String> labels,
      String stopSignal,
      Boolean argsEscaped,
      List<String> shell,
      List<String> onBuild,
      Healthcheck healthcheck) {

    public static final Container EMPTY =
        new Container(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public Container {
      exposedPorts = exposedPorts == null ? null : new TreeMap<>(exposedPorts);
      env = env == null ? null : List.copyOf(env);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      cmd = cmd == null ? null : List.copyOf(cmd);
      volumes = volumes == null ? null : new TreeMap<>(volumes);
      labels = labels == null ? null : new TreeMap<>(labels);
      shell = shell == null ? null : List.copyOf(shell);
      onBuild = onBuild == null ? null : List.copyOf(onBuild);
    }

    public List<String> envOrEmpty() {
      return env == null ? List.of() : env;
    }

    public Map<String, String> labelsOrEmpty() {
      return labels == null ? Map.of() : labels;
    }

    /** Sets {@code key=value} in Env, replacing an existing entry in place as Docker does. */
    public Container withEnv(String key, String value) {
      List<String> out = new ArrayList<>(envOrEmpty());
      String entry = key + "=" + value;
      boolean replaced = false;
      for (int i = 0; i < out.size(); i++) {
        String e = out.get(i);
        int eq = e.indexOf('=');
        if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
          out.set(i, entry);
          replaced = true;
        }
      }
      if (!replaced) {
        out.add(entry);
      }
      return edit(b -> b.env = out);
    }

    public Container withLabels(Map<String, String> add) {
      Map<String, String> out = new LinkedHashMap<>(labelsOrEmpty());
      out.putAll(add);
      return edit(b -> b.labels = out);
    }

    public Container withWorkingDir(String dir) {
      return edit(b -> b.workingDir = dir);
    }

    public Container withCmd(List<String> c) {
      return edit(b -> b.cmd = c);
    }

    /** Setting ENTRYPOINT resets CMD, as in Docker. */
    public Container withEntrypoint(List<String> e) {
      return edit(b -> {
        b.entrypoint = e;
        b.cmd = null;
      });
    }

    public Container withUser(String u) {
      return edit(b -> b.user = u);
    }

    public Container withShell(List<String> s) {
      return edit(b -> b.shell = s);
    }

    public Container withExposedPort(String port) {
      Map<String, Map<String, Object>> out = new TreeMap<>(exposedPorts == null ? Map.of() : exposedPorts);
      out.put(port, Map.of());
      return edit(b -> b.exposedPorts = out);
    }

    public Container withVolume(String path) {
      Map<String, Map<String, Object>> out = new TreeMap<>(volumes == null ? Map.of() : volumes);
      out.put(path, Map.of());
      return edit(b -> b.volumes = out);
    }

    public Container withOnBuild(String trigger) {
      List<String> out = new ArrayList<>(onBuild == null ? List.of() : onBuild);
      out.add(trigger);
      return edit(b -> b.onBuild = out);
    }

    /** The base image's triggers do not carry over to the image built from it. */
    public Container withoutOnBuild() {
      return edit(b -> b.onBuild = null);
    }

    /** Docker's ArgsEscaped, which BuildKit sets with CMD and ENTRYPOINT. */
    public Container withArgsEscaped(Boolean escaped) {
      return edit(b -> b.argsEscaped = escaped);
    }

    public Container withStopSignal(String s) {
      return edit(b -> b.stopSignal = s);
    }

    public Container withHealthcheck(Healthcheck h) {
      return edit(b -> b.healthcheck = h);
    }

    private Container edit(java.util.function.Consumer<Editor> change) {
      Editor b = new Editor(this);
      change.accept(b);
      return b.build();
    }

    /** A mutable copy, used only inside {@code with…} methods. */
    private static final class Editor {
      String user;
      Map<String, Map<String, Object>> exposedPorts;
      List<String> env;
      List<String> entrypoint;
      List<String> cmd;
      Map<String, Map<String, Object>> volumes;
      String workingDir;
      Map<String, String> labels;
      String stopSignal;
      Boolean argsEscaped;
      List<String> shell;
      List<String> onBuild;
      Healthcheck healthcheck;

      Editor(Container c) {
        user = c.user;
        exposedPorts = c.exposedPorts;
        env = c.env;
        entrypoint = c.entrypoint;
        cmd = c.cmd;
        volumes = c.volumes;
        workingDir = c.workingDir;
        labels = c.labels;
        stopSignal = c.stopSignal;
        argsEscaped = c.argsEscaped;
        shell = c.shell;
        onBuild = c.onBuild;
        healthcheck = c.healthcheck;
      }

      Container build() {
        return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
            argsEscaped, shell, onBuild, healthcheck);
      }
    }
  }

  /**
   * HEALTHCHECK as Docker stores it: {@code Test} is {@code ["NONE"]}, {@code ["CMD", args…]} or
   * {@code ["CMD-SHELL", command]}; durations in nanoseconds, zero meaning "inherit the default".
   */
  public record Healthcheck(List<String> test, Long interval, Long timeout, Long startPeriod, Long startInterval,
      Integer retries) {
    public Healthcheck {
      test = test == null ? null : List.copyOf(test);
    }
  }

  public record RootFs(String type, List<String> diffIds) {
    public RootFs {
      diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }
  }

  public record History(String created, String createdBy, String author, String comment, Boolean emptyLayer) {}

  public static ImageConfig parse(byte[] bytes) throws InvalidDocumentException {
    return JsonFields.read(bytes, "ImageConfig", ImageConfig::read);
  }

  public byte[] toBytes() {
    return JsonFields.write(this, ImageConfig::write);
  }

  public ImageConfig withConfig(Container c) {
    return new ImageConfig(created, author, architecture, os, variant, c, rootfs, history, inlineCache);
  }

  public ImageConfig withAuthor(String a) {
    return new ImageConfig(created, a, architecture, os, variant, config, rootfs, history, inlineCache);
  }

  public ImageConfig withCreated(String c) {
    return new ImageConfig(c, author, architecture, os, variant, config, rootfs, history, inlineCache);
  }

  public ImageConfig withPlatform(String os, String architecture, String variant) {
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, history, inlineCache);
  }

  /** Appends a layer's diff id with its history entry. */
  public ImageConfig withLayer(String diffId, History h) {
    List<String> ids = new ArrayList<>(rootfs.diffIds());
    ids.add(diffId);
    List<History> hs = new ArrayList<>(history);
    hs.add(h);
    return new ImageConfig(created, author, architecture, os, variant, config, new RootFs("layers", ids), hs);
  }

  public ImageConfig withInlineCache(String payload) {
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, history, payload);
  }

  public ImageConfig withHistory(History h) {
    List<History> hs = new ArrayList<>(history);
    hs.add(h);
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, hs, inlineCache);
  }

  // JSON: field names and order as Docker and BuildKit write them; empty values left out except
  // where noted (config and rootfs.diff_ids always, the inline cache whenever set)

  static ImageConfig read(JsonFields.In in) throws InvalidDocumentException {
    return new ImageConfig(in.string("created"), in.string("author"), in.string("architecture"), in.string("os"),
        in.string("variant"), in.object("config", ImageConfig::readContainer), in.object("rootfs", ImageConfig::readRootFs),
        in.objects("history", ImageConfig::readHistory), in.string(INLINE_CACHE_KEY));
  }

  static void write(JsonFields.Out out, ImageConfig c) throws IOException {
    out.stringUnlessEmpty("created", c.created);
    out.stringUnlessEmpty("author", c.author);
    out.stringUnlessEmpty("architecture", c.architecture);
    out.stringUnlessEmpty("os", c.os);
    out.stringUnlessEmpty("variant", c.variant);
    out.objectUnlessNull("config", c.config, ImageConfig::writeContainer);
    out.objectUnlessNull("rootfs", c.rootfs, ImageConfig::writeRootFs);
    out.objectsUnlessEmpty("history", c.history, ImageConfig::writeHistory);
    out.stringUnlessNull(INLINE_CACHE_KEY, c.inlineCache);
  }

  static Container readContainer(JsonFields.In in) throws InvalidDocumentException {
    return new Container(in.string("User"), in.objectMap("ExposedPorts"), in.strings("Env"), in.strings("Entrypoint"),
        in.strings("Cmd"), in.objectMap("Volumes"), in.string("WorkingDir"), in.stringMap("Labels"), in.string("StopSignal"),
        in.bool("ArgsEscaped"), in.strings("Shell"), in.strings("OnBuild"), in.object("Healthcheck", ImageConfig::readHealthcheck));
  }

  static void writeContainer(JsonFields.Out out, Container c) throws IOException {
    out.stringUnlessEmpty("User", c.user);
    out.mapUnlessEmpty("ExposedPorts", c.exposedPorts);
    out.stringsUnlessEmpty("Env", c.env);
    out.stringsUnlessEmpty("Entrypoint", c.entrypoint);
    out.stringsUnlessEmpty("Cmd", c.cmd);
    out.mapUnlessEmpty("Volumes", c.volumes);
    out.stringUnlessEmpty("WorkingDir", c.workingDir);
    out.mapUnlessEmpty("Labels", c.labels);
    out.stringUnlessEmpty("StopSignal", c.stopSignal);
    out.boolUnlessNull("ArgsEscaped", c.argsEscaped);
    out.stringsUnlessEmpty("Shell", c.shell);
    out.stringsUnlessEmpty("OnBuild", c.onBuild);
    out.objectUnlessNull("Healthcheck", c.healthcheck, ImageConfig::writeHealthcheck);
  }

  static Healthcheck readHealthcheck(JsonFields.In in) throws InvalidDocumentException {
    return new Healthcheck(in.strings("Test"), in.boxedLong("Interval"), in.boxedLong("Timeout"),
        in.boxedLong("StartPeriod"), in.boxedLong("StartInterval"), in.boxedInteger("Retries"));
  }

  static void writeHealthcheck(JsonFields.Out out, Healthcheck h) throws IOException {
    out.stringsUnlessEmpty("Test", h.test);
    out.numberUnlessNull("Interval", h.interval);
    out.numberUnlessNull("Timeout", h.timeout);
    out.numberUnlessNull("StartPeriod", h.startPeriod);
    out.numberUnlessNull("StartInterval", h.startInterval);
    out.numberUnlessNull("Retries", h.retries);
  }

  static RootFs readRootFs(JsonFields.In in) throws InvalidDocumentException {
    return new RootFs(in.string("type"), in.strings("diff_ids"));
  }

  static void writeRootFs(JsonFields.Out out, RootFs r) throws IOException {
    out.stringUnlessEmpty("type", r.type);
    out.strings("diff_ids", r.diffIds);
  }

  static History readHistory(JsonFields.In in) throws InvalidDocumentException {
    return new History(in.string("created"), in.string("created_by"), in.string("author"), in.string("comment"),
        in.bool("empty_layer"));
  }

  static void writeHistory(JsonFields.Out out, History h) throws IOException {
    out.stringUnlessEmpty("created", h.created);
    out.stringUnlessEmpty("created_by", h.createdBy);
    out.stringUnlessEmpty("author", h.author);
    out.stringUnlessEmpty("comment", h.comment);
    out.boolUnlessNull("empty_layer", h.emptyLayer);
  }
}
