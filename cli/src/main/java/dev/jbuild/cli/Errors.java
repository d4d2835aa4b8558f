package dev.jbuild.cli;

/** One-line descriptions of I/O failures for people. */
final class Errors {
  private Errors() {}

  static String describe(java.io.IOException e) {
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() == null ? f.getMessage() : f.getFile() + (f.getReason() == null ? ": exists" : "");
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
