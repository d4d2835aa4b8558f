package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The image configuration blob ({@code application/vnd.oci.image.config.v1+json}). Immutable;
 * the {@code with…} methods return changed copies.
 */
@JsonPropertyOrder({"created", "author", "architecture", "os", "variant", "config", "rootfs", "history"})
public record ImageConfig(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant,
    @JsonProperty("config") @JsonInclude(JsonInclude.Include.ALWAYS) Container config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") List<History> history) {

  public ImageConfig {
    config = config == null ? Container.EMPTY : config;
    rootfs = rootfs == null ? new RootFs("layers", List.of()) : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** The runtime defaults ({@code config} object). Field names are those of the image spec. */
  @JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir",
      "Labels", "StopSignal", "ArgsEscaped", "Shell", "OnBuild", "Healthcheck"})
  public record Container(
      @JsonProperty("User") String user,
      @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") Map<String, String> labels,
      @JsonProperty("StopSignal") String stopSignal,
      @JsonProperty("ArgsEscaped") Boolean argsEscaped,
      @JsonProperty("Shell") List<String> shell,
      @JsonProperty("OnBuild") List<String> onBuild,
      @JsonProperty("Healthcheck") Healthcheck healthcheck) {

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
  @JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
  public record Healthcheck(
      @JsonProperty("Test") List<String> test,
      @JsonProperty("Interval") Long interval,
      @JsonProperty("Timeout") Long timeout,
      @JsonProperty("StartPeriod") Long startPeriod,
      @JsonProperty("StartInterval") Long startInterval,
      @JsonProperty("Retries") Integer retries) {
    public Healthcheck {
      test = test == null ? null : List.copyOf(test);
    }
  }

  @JsonPropertyOrder({"type", "diff_ids"})
  public record RootFs(
      @JsonProperty("type") String type,
      @JsonProperty("diff_ids") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> diffIds) {
    public RootFs {
      diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }
  }

  @JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
  public record History(
      @JsonProperty("created") String created,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("author") String author,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer) {}

  public static ImageConfig parse(byte[] bytes) throws InvalidDocumentException {
    return Json.read(bytes, ImageConfig.class);
  }

  public byte[] toBytes() {
    return Json.write(this);
  }

  public ImageConfig withConfig(Container c) {
    return new ImageConfig(created, author, architecture, os, variant, c, rootfs, history);
  }

  public ImageConfig withAuthor(String a) {
    return new ImageConfig(created, a, architecture, os, variant, config, rootfs, history);
  }

  public ImageConfig withCreated(String c) {
    return new ImageConfig(c, author, architecture, os, variant, config, rootfs, history);
  }

  public ImageConfig withPlatform(String os, String architecture, String variant) {
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, history);
  }

  /** Appends a layer's diff id with its history entry. */
  public ImageConfig withLayer(String diffId, History h) {
    List<String> ids = new ArrayList<>(rootfs.diffIds());
    ids.add(diffId);
    List<History> hs = new ArrayList<>(history);
    hs.add(h);
    return new ImageConfig(created, author, architecture, os, variant, config, new RootFs("layers", ids), hs);
  }

  public ImageConfig withHistory(History h) {
    List<History> hs = new ArrayList<>(history);
    hs.add(h);
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, hs);
  }
}
