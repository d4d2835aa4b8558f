package dev.jbuild.solver;

/**
 * Which files of a local source are left out (e.g. by {@code .dockerignore}). Paths are relative
 * to the source root, '/'-separated, without a leading slash.
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
}
