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

  /** What is done with a blob's bytes as they arrive; it must keep nothing unless they verify. */
  @FunctionalInterface
  interface Sink {
    void accept(InputStream blob) throws IOException, dev.jbuild.nativeexec.LayerException;
  }

  private BlobPull() {}

  public static void into(ContentStore content, RegistryClient registry, ImageReference repo, Digest digest)
      throws RegistryException, IOException, InterruptedException {
    try {
      streamed(registry, repo, digest, in -> content.put(in, digest));
    } catch (dev.jbuild.nativeexec.LayerException e) {
      throw new IllegalStateException(e); // storing a blob reads no tar
    }
  }

  /** Opens the blob and hands it to {@code sink}, again (up to three times) when the download is cut. */
  static void streamed(RegistryClient registry, ImageReference repo, Digest digest, Sink sink)
      throws RegistryException, IOException, InterruptedException, dev.jbuild.nativeexec.LayerException {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = registry.openBlob(repo, digest)) {
        sink.accept(in);
        return;
      } catch (CorruptContentException e) {
        throw new RegistryException(RegistryException.Kind.INVALID_CONTENT,
            repo.repositoryName() + "@" + digest + ": the registry sent other content: " + e.getMessage(), e);
      } catch (dev.jbuild.nativeexec.LayerException e) {
        // unpacking while downloading: the tar can break before the digest is known, so name the blob
        throw new dev.jbuild.nativeexec.LayerException(repo.repositoryName() + "@" + digest + ": " + e.getMessage(), e);
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new IOException("downloading " + repo.repositoryName() + "@" + digest + ": " + e.getMessage(), e);
        }
        Thread.sleep(200L << attempt);
      }
    }
  }
}
