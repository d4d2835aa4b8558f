package dev.jbuild.solver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@code --secret} comes from. Only the location is held; the value is read when a RUN
 * step mounts it and handed straight to the executor, so it is in no record, key or log.
 */
public sealed interface SecretSource {
  /** The secret's bytes, read now. */
  byte[] read() throws IOException;

  /** {@code --secret id=…,src=FILE}. */
  record FromFile(Path path) implements SecretSource {
    public FromFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public byte[] read() throws IOException {
      return Files.readAllBytes(path);
    }
  }

  /** {@code --secret id=…,env=VARIABLE}: a variable of the jbuild process's environment. */
  record FromEnv(String variable) implements SecretSource {
    public FromEnv {
      Objects.requireNonNull(variable, "variable");
    }

    @Override
    public byte[] read() throws IOException {
      String v = System.getenv(variable);
      if (v == null) {
        throw new IOException("the environment variable " + variable + " is not set");
      }
      return v.getBytes(StandardCharsets.UTF_8);
    }
  }
}
