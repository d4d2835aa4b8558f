package dev.jbuild.nativeexec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes given to the layer tar reader end the archive or fail with a {@link LayerException}
 * or an {@link IOException}; unpacked, nothing lands outside the target directory. Nothing else
 * escapes and no input hangs. A plain test run replays the seeds in {@code TarFuzzTestInputs/};
 * the {@code fuzz-tar} execution of this module's pom fuzzes for a bounded time ({@code -DskipFuzz}).
 */
class TarFuzzTest {
  private static final int MAX_ENTRIES = 10_000;

  @FuzzTest(maxDuration = "12s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void tar(FuzzedDataProvider data) throws IOException {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      TarReader reader = new TarReader(new ByteArrayInputStream(bytes));
      TarEntry e;
      for (int n = 0; n < MAX_ENTRIES && (e = reader.next()) != null; n++) {
        e.name();
        reader.content().transferTo(OutputStream.nullOutputStream());
      }
    } catch (LayerException | IOException expected) {
      // a clear failure is the right answer to a malformed archive
    }
    Path dir = Files.createTempDirectory("tar-fuzz");
    try {
      Path root = Files.createDirectory(dir.resolve("root"));
      try {
        new LayerReader().unpack(new ByteArrayInputStream(bytes), root);
      } catch (LayerException | IOException expected) {
        // as above
      }
      try (Stream<Path> s = Files.list(dir)) {
        if (s.count() != 1) {
          throw new AssertionError("the layer wrote beside its target directory");
        }
      }
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
