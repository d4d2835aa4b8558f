package dev.jbuild.solver;

/**
 * Which files of a local source are left out (e.g. by {@code .dockerignore}), and how the ones
 * selected are presented to COPY and to cache keys. Paths are relative to the source root,
 * '/'-separated, without a leading slash.
 */
public interface PathFilter {
  PathFilter NONE = new PathFilter() {
    @Override
    public boolean excludes(String relativePath) {
      return false;
    }

    @Override
    public boolean mayReinclude() {
      return false;
    }
  };

  /** A filter excluding what {@code excluded} names, with no re-inclusion below an excluded directory. */
  static PathFilter of(java.util.function.Predicate<String> excluded) {
    return new PathFilter() {
      @Override
      public boolean excludes(String relativePath) {
        return excluded.test(relativePath);
      }

      @Override
      public boolean mayReinclude() {
        return false;
      }
    };
  }

  boolean excludes(String relativePath);

  /** Whether something below an excluded directory can be included again (a {@code !} rule). */
  boolean mayReinclude();

  /** The permission bits COPY gives a file or directory with these host bits (and its cache key uses). */
  default int presentedMode(int hostMode, boolean directory) {
    return hostMode;
  }

  /**
   * {@code filter} with modes as git stores them (0755 for directories and files executable by
   * their owner, else 0644), so checkouts under umask 022 and 002 share cache hits.
   */
  static PathFilter withGitModes(PathFilter filter) {
    return new PathFilter() {
      @Override
      public boolean excludes(String relativePath) {
        return filter.excludes(relativePath);
      }

      @Override
      public boolean mayReinclude() {
        return filter.mayReinclude();
      }

      @Override
      public int presentedMode(int hostMode, boolean directory) {
        return directory || (hostMode & 0100) != 0 ? 0755 : 0644;
      }
    };
  }
}
