package dev.jbuild.solver;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.CorruptContentException;
import dev.jbuild.oci.Digest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;

/** Downloads a blob into the content store through its one write path (verified, atomic), retrying cut downloads. */
public final class BlobPull {
  private static final int ATTEMPTS = 3;

  private BlobPull() {}

  public static void into(ContentStore content, RegistryClient registry, ImageReference repo, Digest digest)
      throws RegistryException, IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = registry.openBlob(repo, digest)) {
        content.put(in, digest);
        return;
      } catch (CorruptContentException e) {
        throw new RegistryException(RegistryException.Kind.INVALID_CONTENT,
            repo.repositoryName() + "@" + digest + ": the registry sent other content: " + e.getMessage(), e);
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new IOException("downloading " + repo.repositoryName() + "@" + digest + ": " + e.getMessage(), e);
        }
        Thread.sleep(200L << attempt);
      }
    }
  }
}
