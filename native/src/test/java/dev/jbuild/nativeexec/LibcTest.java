package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directly mapped C calls: results reach the file system, errno reaches the message. */
class LibcTest {
  @TempDir Path tmp;

  @Test
  void callsWorkAndErrnoBecomesTheMessage() throws Exception {
    Path f = Files.writeString(tmp.resolve("f"), "x");
    Libc.chmod(f, 0640);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    Instant t = Instant.parse("2001-02-03T04:05:06.123456789Z");
    Libc.setTimes(f, t, t);
    assertEquals(t, Files.getLastModifiedTime(f).toInstant());
    Path missing = tmp.resolve("missing");
    IOException e = assertThrows(IOException.class, () -> Libc.chmod(missing, 0644));
    assertEquals("chmod " + missing + ": No such file or directory", e.getMessage());
  }
}
