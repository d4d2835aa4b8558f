package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records on disk: their exact form (written field by field), and what is read back as a miss. */
class CacheRecordsTest {
  @TempDir Path root;

  private static final CacheKey KEY = new CacheKey(Digest.sha256("key".getBytes(StandardCharsets.UTF_8)));

  private Path file() {
    return root.resolve("records").resolve(KEY.digest().hex() + ".json");
  }

  @Test
  void recordsAreWrittenWithEveryFieldAndNullsKeptAndReadBack() throws Exception {
    ContentStore content = new ContentStore(root);
    byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
    Digest d = content.put(blob);
    CacheRecords records = new CacheRecords(root, content);
    CacheRecord r = new CacheRecord(List.of(new CacheRecord.LayerRecord("application/vnd.oci.image.layer.v1.tar", d.toString(),
        blob.length, d.toString())), true, null);
    records.put(KEY, r);
    assertEquals("{\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + d + "\",\"size\":5,"
        + "\"diffId\":\"" + d + "\"}],\"addedLayer\":true,\"createdAt\":null}", Files.readString(file()));
    assertEquals(Optional.of(r), records.get(KEY));
    assertEquals(r, CacheJson.MAPPER.readValue(Files.readAllBytes(file()), CacheRecord.class), "the registry cache's mapper");
  }

  @Test
  void damagedOrForeignRecordsAreMissesAndUnknownFieldsAreIgnored() throws Exception {
    CacheRecords records = new CacheRecords(root, new ContentStore(root));
    Files.writeString(file(), "{\"layers\":{},\"addedLayer\":true}");
    assertEquals(Optional.empty(), records.read(KEY));
    Files.writeString(file(), "\0\0\0\0");
    assertEquals(Optional.empty(), records.read(KEY));
    Files.writeString(file(), "{\"layers\":[],\"addedLayer\":\"true\",\"createdAt\":\"2024-01-01T00:00:00Z\",\"later\":1}");
    assertEquals(Optional.of(new CacheRecord(List.of(), true, "2024-01-01T00:00:00Z")), records.read(KEY));
  }
}
