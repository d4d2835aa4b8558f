package dev.jbuild.parser;

import java.util.List;
import java.util.Map;

/**
 * A parsed Dockerfile.
 *
 * @param fileName the name used in error messages (e.g. {@code Dockerfile})
 * @param directives parser directives from the top of the file, keys lower-case
 * @param escape the escape character in effect ({@code \} or {@code `})
 */
public record Dockerfile(String fileName, Map<String, String> directives, char escape,
    List<Instruction> instructions) {
  public Dockerfile {
    directives = Map.copyOf(directives);
    instructions = List.copyOf(instructions);
  }
}
