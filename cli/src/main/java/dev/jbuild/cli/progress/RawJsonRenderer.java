package dev.jbuild.cli.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --progress=rawjson}: one JSON object per event, for machines. */
public final class RawJsonRenderer implements ProgressListener {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final PrintStream out;

  public RawJsonRenderer(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(ProgressEvent event) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vertex", event.vertex());
    m.put("type", event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    if (event instanceof ProgressEvent.Started s) {
      m.put("name", s.name());
    } else if (event instanceof ProgressEvent.Cached c) {
      m.put("name", c.name());
    } else if (event instanceof ProgressEvent.Log l) {
      m.put("stream", l.stream());
      m.put("data", new String(l.data(), StandardCharsets.UTF_8));
    } else if (event instanceof ProgressEvent.Status s) {
      m.put("message", s.message());
    } else if (event instanceof ProgressEvent.CacheMiss c) {
      m.put("reason", c.reason());
    } else if (event instanceof ProgressEvent.Completed c) {
      m.put("seconds", c.elapsed().toNanos() / 1e9);
    } else if (event instanceof ProgressEvent.Failed f) {
      m.put("seconds", f.elapsed().toNanos() / 1e9);
      m.put("error", f.message());
    } else if (event instanceof ProgressEvent.Canceled c) {
      m.put("seconds", c.elapsed().toNanos() / 1e9);
    }
    try {
      out.println(MAPPER.writeValueAsString(m));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }
}
