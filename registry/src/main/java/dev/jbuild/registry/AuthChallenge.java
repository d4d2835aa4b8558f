package dev.jbuild.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a:pull"}.
 *
 * @param scheme lower case: {@code bearer} or {@code basic}
 * @param params parameter names in lower case
 */
record AuthChallenge(String scheme, Map<String, String> params) {

  AuthChallenge {
    params = Map.copyOf(params);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** The scopes the challenge asks for (space separated in the header). */
  List<String> scopes() {
    String s = params.get("scope");
    return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }

  /** The preferred challenge among all header values: Bearer over Basic; empty if none parse. */
  static Optional<AuthChallenge> select(List<String> headerValues) {
    List<AuthChallenge> all = new ArrayList<>();
    for (String v : headerValues) {
      all.addAll(parseAll(v));
    }
    return all.stream().filter(AuthChallenge::isBearer).findFirst()
        .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
  }

  /** Parses RFC 7235 challenges: {@code scheme k=v, k="quoted, value", other-scheme …}. */
  static List<AuthChallenge> parseAll(String header) {
    List<AuthChallenge> out = new ArrayList<>();
    Lexer lx = new Lexer(header);
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      lx.skip(" \t,");
      if (lx.atEnd()) {
        break;
      }
      String token = lx.token();
      if (token.isEmpty()) {
        lx.pos++; // unexpected character: skip it rather than loop
        continue;
      }
      lx.skip(" \t");
      if (lx.peek() == '=' && scheme != null) {
        lx.pos++;
        lx.skip(" \t");
        String value = lx.peek() == '"' ? lx.quoted() : lx.token();
        params.put(token.toLowerCase(Locale.ROOT), value);
      } else {
        if (scheme != null) {
          out.add(new AuthChallenge(scheme, params));
        }
        scheme = token.toLowerCase(Locale.ROOT);
        params = new LinkedHashMap<>();
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params));
    }
    return out;
  }

  private static final class Lexer {
    final String s;
    int pos;

    Lexer(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    void skip(String chars) {
      while (!atEnd() && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    String token() {
      int start = pos;
      while (!atEnd() && " \t,=\"".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder b = new StringBuilder();
      pos++; // opening quote
      while (!atEnd() && s.charAt(pos) != '"') {
        char c = s.charAt(pos++);
        if (c == '\\' && !atEnd()) {
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      pos++; // closing quote
      return b.toString();
    }
  }
}
