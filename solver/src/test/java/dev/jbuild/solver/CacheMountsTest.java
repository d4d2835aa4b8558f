package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache-mount directories: kept under the store, created once, shared, private or locked. */
class CacheMountsTest {
  @TempDir
  Path store;

  @Test
  void aCacheIsCreatedOnceAndOutlivesTheProcessThatMadeIt() throws Exception {
    AtomicInteger fills = new AtomicInteger();
    CacheMounts.Initializer init = dir -> {
      fills.incrementAndGet();
      Files.writeString(dir.resolve("seed"), "seed");
    };
    Path first;
    try (CacheMounts.Lease l = new CacheMounts(store).acquire("id", RunMount.Sharing.SHARED, init)) {
      first = l.dir();
      Files.writeString(first.resolve("added"), "by the first step");
    }
    try (CacheMounts.Lease l = new CacheMounts(store).acquire("id", RunMount.Sharing.SHARED, init)) {
      assertEquals(first, l.dir());
      assertEquals("by the first step", Files.readString(l.dir().resolve("added")));
    }
    assertEquals(1, fills.get());
    assertTrue(first.startsWith(store.resolve("cache-mounts")));
  }

  @Test
  void sharedUsersSeeOneDirectoryAtOnce() throws Exception {
    CacheMounts caches = new CacheMounts(store);
    try (CacheMounts.Lease a = caches.acquire("id", RunMount.Sharing.SHARED, d -> { });
         CacheMounts.Lease b = caches.acquire("id", RunMount.Sharing.SHARED, d -> { })) {
      assertEquals(a.dir(), b.dir());
    }
  }

  @Test
  void privateUsersGetTheirOwnDirectoryWhileItIsBusy() throws Exception {
    CacheMounts caches = new CacheMounts(store);
    Path firstDir;
    try (CacheMounts.Lease a = caches.acquire("id", RunMount.Sharing.PRIVATE, d -> { })) {
      firstDir = a.dir();
      Path other = CompletableFuture.supplyAsync(() -> {
        try (CacheMounts.Lease b = caches.acquire("id", RunMount.Sharing.PRIVATE, d -> { })) {
          return b.dir();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }).get(10, TimeUnit.SECONDS);
      assertNotEquals(firstDir, other, "a busy private cache is not handed out twice");
    }
    try (CacheMounts.Lease again = caches.acquire("id", RunMount.Sharing.PRIVATE, d -> { })) {
      assertEquals(firstDir, again.dir(), "a free one is reused");
    }
  }

  @Test
  void lockedUsersWaitForEachOther() throws Exception {
    CacheMounts caches = new CacheMounts(store);
    CountDownLatch acquired = new CountDownLatch(1);
    CacheMounts.Lease first = caches.acquire("id", RunMount.Sharing.LOCKED, d -> { });
    CompletableFuture<Path> second = CompletableFuture.supplyAsync(() -> {
      try (CacheMounts.Lease b = caches.acquire("id", RunMount.Sharing.LOCKED, d -> { })) {
        acquired.countDown();
        return b.dir();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    assertFalse(acquired.await(500, TimeUnit.MILLISECONDS), "the second user waits while the first holds the cache");
    first.close();
    assertEquals(first.dir(), second.get(10, TimeUnit.SECONDS));
  }
}
