package dev.jbuild.solver;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ADD of a URL: keyed by what was downloaded, not where from; a file with ADD's mode 0600. */
final class HttpHandler implements OpHandler {
  private final Op.Http http;

  HttpHandler(Op.Http http) {
    this.http = http;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys) throws java.io.IOException, InterruptedException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "http");
    // a checksum pins the content without a download
    d.put("content", (http.checksum().isPresent() ? http.checksum().get() : keys.remoteContent(http)).toString());
    d.put("fileName", http.fileName());
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    HttpFetcher.Fetched f = step.http().fetch(http);
    Worker worker = step.worker();
    return worker.snapshots.mutate(inputs.isEmpty() ? FsState.EMPTY : inputs.get(0), false, root -> {
      Path file = root.resolve(http.fileName());
      try (InputStream in = worker.content.open(f.digest())) {
        Files.copy(in, file);
      }
      FileModes.set(file, 0600, Op.Ownership.ROOT);
      Files.setLastModifiedTime(file, FileTime.from(f.lastModified().orElse(Instant.EPOCH)));
      return Set.of();
    });
  }
}
