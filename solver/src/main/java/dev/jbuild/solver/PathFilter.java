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

  boolean excludes(String relativePath);

  /** Whether something below an excluded directory can be included again (a {@code !} rule). */
  boolean mayReinclude();
}
