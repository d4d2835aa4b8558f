package dev.jbuild.parser;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Runs the ANTLR grammar: SLL prediction first (fast, enough for almost every input), full LL
 * only if SLL fails. ANTLR's console listeners are replaced by one that throws
 * {@link SyntaxError}, so nothing is printed and the caller turns it into a located error.
 */
final class GrammarRunner {
  /** A syntax error at a character index of the grammar input. */
  static final class SyntaxError extends RuntimeException {
    final int index;

    SyntaxError(int index, String message) {
      super(message, null, false, false);
      this.index = index;
    }
  }

  private static final BaseErrorListener THROWING = new BaseErrorListener() {
    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column,
        String msg, RecognitionException e) {
      int index = offending instanceof Token ? ((Token) offending).getStartIndex() : -1;
      throw new SyntaxError(index, msg);
    }
  };

  private GrammarRunner() {}

  static DockerfileGrammar.DockerfileContext lines(String input) {
    return (DockerfileGrammar.DockerfileContext) run(input, false);
  }

  /** The JSON array of {@code HEALTHCHECK CMD […]}, or null if the text is not one. */
  static DockerfileGrammar.JsonArrayContext jsonArray(String input) {
    try {
      return ((DockerfileGrammar.JsonArrayLineContext) run(input, true)).jsonArray();
    } catch (SyntaxError e) {
      return null;
    }
  }

  // A flag rather than a Function: a method reference costs a lambda bootstrap at startup.
  private static ParserRuleContext run(String input, boolean jsonArrayLine) {
    DockerfileLexer lexer = new DockerfileLexer(new Utf16CharStream(input));
    lexer.removeErrorListeners();
    lexer.addErrorListener(THROWING);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    DockerfileGrammar parser = new DockerfileGrammar(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return jsonArrayLine ? parser.jsonArrayLine() : parser.dockerfile();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.addErrorListener(THROWING);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      return jsonArrayLine ? parser.jsonArrayLine() : parser.dockerfile();
    }
  }
}
