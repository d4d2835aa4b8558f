package dev.jbuild.solver;

/** A step of the graph failed; {@link #vertex()} says which, the message says why (for people). */
public class SolveException extends Exception {
  private final transient Vertex vertex;

  public SolveException(Vertex vertex, String message, Throwable cause) {
    super(message, cause);
    this.vertex = vertex;
  }

  public SolveException(Vertex vertex, String message) {
    this(vertex, message, null);
  }

  /** The failing vertex, or null when the failure is not tied to one. */
  public Vertex vertex() {
    return vertex;
  }
}
