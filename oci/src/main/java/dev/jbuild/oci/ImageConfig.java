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
      @JsonProperty("OnBuild") List<String> onBuild) {

    public static final Container EMPTY =
        new Container(null, null, null, null, null, null, null, null, null, null, null, null);

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
      return new Container(user, exposedPorts, out, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withLabels(Map<String, String> add) {
      Map<String, String> out = new LinkedHashMap<>(labelsOrEmpty());
      out.putAll(add);
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, out,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withWorkingDir(String dir) {
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, dir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withCmd(List<String> c) {
      return new Container(user, exposedPorts, env, entrypoint, c, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    /** Setting ENTRYPOINT resets CMD, as in Docker. */
    public Container withEntrypoint(List<String> e) {
      return new Container(user, exposedPorts, env, e, null, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withUser(String u) {
      return new Container(u, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withShell(List<String> s) {
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, s, onBuild);
    }

    public Container withExposedPort(String port) {
      Map<String, Map<String, Object>> out = new TreeMap<>(exposedPorts == null ? Map.of() : exposedPorts);
      out.put(port, Map.of());
      return new Container(user, out, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withVolume(String path) {
      Map<String, Map<String, Object>> out = new TreeMap<>(volumes == null ? Map.of() : volumes);
      out.put(path, Map.of());
      return new Container(user, exposedPorts, env, entrypoint, cmd, out, workingDir, labels,
          stopSignal, argsEscaped, shell, onBuild);
    }

    public Container withOnBuild(String trigger) {
      List<String> out = new ArrayList<>(onBuild == null ? List.of() : onBuild);
      out.add(trigger);
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, out);
    }

    /** The base image's triggers do not carry over to the image built from it. */
    public Container withoutOnBuild() {
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, shell, null);
    }

    public Container withStopSignal(String s) {
      return new Container(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          s, argsEscaped, shell, onBuild);
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
