package dev.jbuild.cli;

import dev.jbuild.platform.Platform;
import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where a build's time under QEMU went: the RUN steps that ran emulated, per platform, the ones
 * that dominate, and a hint when they install packages or compile, work a
 * {@code FROM --platform=$BUILDPLATFORM} stage could do natively. QEMU runs programs 3-20x slower
 * than the host, and without this users rarely see that it is where their build's time goes.
 */
final class EmulationReport {
  /** An emulated RUN the plan contains. */
  record Step(String name, Platform platform, String command, Optional<String> location) {}

  /** A finished emulated step and how long it ran (cached steps never run, so never appear). */
  record Timed(Step step, Duration elapsed) {}

  /** Commands that are usually arch-independent work or cross-compilable: worth moving off emulation. */
  private static final Pattern MOVABLE = Pattern.compile(
      "\\b(apt-get|apt|apk|dnf|yum|microdnf|pip3?|npm|yarn|pnpm|go (build|install|mod)|cargo|gcc|g\\+\\+|cc|make|cmake"
          + "|mvn|gradle|javac|dotnet|rustc|tsc|webpack|bundle install|composer)\\b");
  private static final int SHOWN = 3;

  private volatile Map<String, Step> watched = Map.of();
  private final Map<Integer, Step> running = new ConcurrentHashMap<>();
  private final List<Timed> finished = java.util.Collections.synchronizedList(new ArrayList<>());

  /** @param emulated the plan's emulated RUN steps by their progress name (known once the build is planned) */
  void watch(Map<String, Step> emulated) {
    this.watched = Map.copyOf(emulated);
  }

  /** Passes every event on to {@code next}, timing the emulated steps on the way. */
  ProgressListener watching(ProgressListener next) {
    return event -> {
      Map<String, Step> w = watched;
      if (event instanceof ProgressEvent.Started s && w.containsKey(s.name())) {
        running.put(s.vertex(), w.get(s.name()));
      } else if (event instanceof ProgressEvent.Completed c) {
        Step step = running.remove(c.vertex());
        if (step != null) {
          finished.add(new Timed(step, c.elapsed()));
        }
      }
      next.onEvent(event);
    };
  }

  List<Timed> timed() {
    synchronized (finished) {
      return List.copyOf(finished);
    }
  }

  /** The summary block, or empty when nothing ran under emulation. */
  Optional<String> render(Platform host) {
    return render(timed(), host);
  }

  static Optional<String> render(List<Timed> steps, Platform host) {
    if (steps.isEmpty()) {
      return Optional.empty();
    }
    Map<Platform, List<Timed>> byPlatform = new LinkedHashMap<>();
    steps.stream().sorted(Comparator.comparing((Timed t) -> t.step().platform()))
        .forEach(t -> byPlatform.computeIfAbsent(t.step().platform(), p -> new ArrayList<>()).add(t));
    Duration total = steps.stream().map(Timed::elapsed).reduce(Duration.ZERO, Duration::plus);
    StringBuilder sb = new StringBuilder();
    sb.append("Emulation: ").append(seconds(total)).append(" of RUN steps ran under QEMU on this ")
        .append(host).append(" host (typically 3-20x slower than native)\n");
    List<Timed> movable = new ArrayList<>();
    for (Map.Entry<Platform, List<Timed>> e : byPlatform.entrySet()) {
      List<Timed> list = new ArrayList<>(e.getValue());
      list.sort(Comparator.comparing(Timed::elapsed).reversed());
      Duration sum = list.stream().map(Timed::elapsed).reduce(Duration.ZERO, Duration::plus);
      sb.append("  ").append(e.getKey()).append(": ").append(seconds(sum)).append(" in ").append(list.size())
          .append(list.size() == 1 ? " step" : " steps").append(list.size() > SHOWN ? ", the longest:" : ":").append('\n');
      for (Timed t : list.subList(0, Math.min(SHOWN, list.size()))) {
        sb.append(String.format(Locale.ROOT, "  %8s  ", seconds(t.elapsed())))
            .append(t.step().location().map(l -> l + "  ").orElse("")).append(oneLine(t.step().command())).append('\n');
      }
      list.stream().filter(t -> MOVABLE.matcher(t.step().command()).find()).forEach(movable::add);
    }
    if (!movable.isEmpty()) {
      List<String> where = movable.stream().sorted(Comparator.comparing(Timed::elapsed).reversed())
          .map(t -> t.step().location().orElse(oneLine(t.step().command()))).distinct().limit(SHOWN).toList();
      sb.append("  hint: the steps at ").append(String.join(", ", where))
          .append(" install packages or build code under emulation; a stage `FROM --platform=$BUILDPLATFORM ...`")
          .append(" runs natively (cross-compile with TARGETOS/TARGETARCH, fetch arch-independent files)")
          .append(" and the target stage can COPY --from it\n");
    }
    return Optional.of(sb.toString());
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  private static String oneLine(String command) {
    String c = command.strip().replaceAll("\\s*\\\\?\\n\\s*", " ");
    return c.length() > 80 ? c.substring(0, 77) + "..." : c;
  }
}
