package dev.jbuild.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A step stopped because another failed first ends as BuildKit shows it: CANCELED, not an error of its own. */
class CanceledStepRenderingTest {
  private static String render(Function<PrintStream, ProgressListener> renderer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressListener l = renderer.apply(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    l.onEvent(new ProgressEvent.Started(2, "[a 2/2] RUN sleep 60"));
    l.onEvent(new ProgressEvent.Started(3, "[b 2/2] RUN exit 3"));
    l.onEvent(new ProgressEvent.Failed(3, Duration.ofMillis(100), "exit code: 3"));
    l.onEvent(new ProgressEvent.Canceled(2, Duration.ofMillis(1500)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plain() {
    assertEquals("""
        #2 [a 2/2] RUN sleep 60
        #3 [b 2/2] RUN exit 3
        #3 ERROR: exit code: 3

        #2 CANCELED

        """, render(PlainRenderer::new));
  }

  @Test
  void rawJson() {
    String out = render(RawJsonRenderer::new);
    assertEquals("{\"vertex\":2,\"type\":\"canceled\",\"seconds\":1.5}", out.lines().toList().get(3));
  }
}
