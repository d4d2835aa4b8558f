package dev.jbuild.parser;

import java.util.List;
import java.util.Map;

/**
 * A Dockerfile at the parser level (BuildKit's {@code parser.Result}): directives, escape
 * character and one {@link Node} per instruction, unchecked beyond the line rules.
 */
public record DockerfileNodes(String fileName, Map<String, String> directives, char escape,
    List<Node> nodes) {
  public DockerfileNodes {
    directives = Map.copyOf(directives);
    nodes = List.copyOf(nodes);
  }
}
