package dev.jbuild.solver;

import java.util.Objects;

/**
 * A node of the build graph: an operation and the name shown in progress output. Two vertices
 * with the same cache key are the same work, whatever their names; the solver runs it once.
 */
public final class Vertex {
  private final Op op;
  private final String name;
  private final boolean ignoresCache;

  public Vertex(Op op, String name) {
    this(op, name, false);
  }

  /** @param ignoresCache run even when a cache record exists (the frontend's {@code --no-cache-filter}) */
  public Vertex(Op op, String name, boolean ignoresCache) {
    this.op = Objects.requireNonNull(op);
    this.name = Objects.requireNonNull(name);
    this.ignoresCache = ignoresCache;
  }

  public boolean ignoresCache() {
    return ignoresCache;
  }

  public Op op() {
    return op;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
