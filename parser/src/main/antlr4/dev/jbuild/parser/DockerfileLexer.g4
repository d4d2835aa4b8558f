/*
 * Tokens of the logical Dockerfile text. The input is produced by LineJoiner: one instruction
 * per line, continuation lines already joined, comments and heredoc bodies already removed
 * (both depend on the escape directive and on heredoc delimiters, which a static lexer cannot
 * know). Every character lexes to some token, so the lexer never reports an error.
 */
lexer grammar DockerfileLexer;

NEWLINE     : '\n' ;
WS          : [ \t\r\f\u000B]+ ;

// `--` alone ends the flags (BuildKit); it wins ties with TEXT because it comes first.
DOUBLE_DASH : '--' ;

// `--name[=value]`: quotes keep spaces inside the value, as in BuildKit's flag extraction.
// A quote left open runs to the end of the line, so it can only be the last part.
FLAG        : '--' ( FLAG_PART+ OPEN_QUOTE? | OPEN_QUOTE ) ;

LBRACK      : '[' ;
RBRACK      : ']' ;
LBRACE      : '{' ;
RBRACE      : '}' ;
COLON       : ':' ;
COMMA       : ',' ;

// A double-quoted string in the lexical form of JSON; its escapes are checked when decoded.
STRING      : '"' ( '\\' ~[\n] | ~["\\\n] )* '"' ;

// A double quote that is never closed: shell text, never JSON.
QUOTE       : '"' ;

// Any other run of characters that are neither blanks nor JSON punctuation.
TEXT        : ~[ \t\r\f\u000B\n[\]{}:,"]+ ;

fragment FLAG_PART
    : ~[ \t\r\f\u000B\n"'\\]
    | '\\' ~[\n]?
    | '"' ( '\\' ~[\n]? | ~["\\\n] )* '"'
    | '\'' ( '\\' ~[\n]? | ~['\\\n] )* '\''
    ;

fragment OPEN_QUOTE
    : '"' ( '\\' ~[\n]? | ~["\\\n] )*
    | '\'' ( '\\' ~[\n]? | ~['\\\n] )*
    ;
