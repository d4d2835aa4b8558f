package dev.jbuild.parser;

/**
 * A here-document attached to an instruction.
 *
 * @param expand false when the delimiter was quoted ({@code <<"EOF"}), which disables expansion
 * @param chomp true for {@code <<-EOF} (leading tabs stripped from the content)
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {}
