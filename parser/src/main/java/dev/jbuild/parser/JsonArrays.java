package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/**
 * Decodes a {@code jsonArray} parse tree. The grammar only checks the shape; here the strings'
 * escapes and the literals are checked, so that text that is not valid JSON falls back to shell
 * form, as BuildKit does, while a valid array with non-strings in it is an error.
 */
final class JsonArrays {
  /** What a bracketed argument turned out to be. */
  enum Kind { STRINGS, NOT_STRINGS, NOT_JSON }

  record Decoded(Kind kind, List<String> strings) {}

  static final String NOT_STRINGS_MESSAGE =
      "when using JSON array syntax, arrays must be comprised of strings only";

  private static final Pattern LITERAL =
      Pattern.compile("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private JsonArrays() {}

  static Decoded decode(DockerfileGrammar.JsonArrayContext array) {
    List<String> strings = new ArrayList<>();
    boolean allStrings = true;
    for (DockerfileGrammar.JsonValueContext v : array.jsonValue()) {
      if (v.STRING() != null) {
        String s = decodeString(v.STRING().getSymbol());
        if (s == null) {
          return new Decoded(Kind.NOT_JSON, List.of());
        }
        strings.add(s);
      } else {
        if (!isValid(v)) {
          return new Decoded(Kind.NOT_JSON, List.of());
        }
        allStrings = false;
      }
    }
    return allStrings ? new Decoded(Kind.STRINGS, List.copyOf(strings))
        : new Decoded(Kind.NOT_STRINGS, List.of());
  }

  private static boolean isValid(DockerfileGrammar.JsonValueContext v) {
    if (v.STRING() != null) {
      return decodeString(v.STRING().getSymbol()) != null;
    }
    if (v.TEXT() != null) {
      return LITERAL.matcher(v.TEXT().getText()).matches();
    }
    if (v.jsonArray() != null) {
      for (DockerfileGrammar.JsonValueContext e : v.jsonArray().jsonValue()) {
        if (!isValid(e)) {
          return false;
        }
      }
      return true;
    }
    for (DockerfileGrammar.JsonMemberContext m : v.jsonObject().jsonMember()) {
      if (decodeString(m.STRING().getSymbol()) == null || !isValid(m.jsonValue())) {
        return false;
      }
    }
    return true;
  }

  /** The value of a JSON string token, or null if its escapes or characters are invalid. */
  static String decodeString(Token token) {
    String s = token.getText();
    StringBuilder out = new StringBuilder(s.length());
    int end = s.length() - 1; // closing quote
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (c < 0x20) {
        return null; // JSON forbids raw control characters in strings
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= end) {
        return null;
      }
      char e = s.charAt(i);
      switch (e) {
        case '"': case '\\': case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          if (i + 4 >= end) {
            return null;
          }
          int code = 0;
          for (int k = 1; k <= 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
              return null;
            }
            code = code * 16 + d;
          }
          out.append((char) code);
          i += 4;
          break;
        default:
          return null;
      }
    }
    return out.toString();
  }
}
