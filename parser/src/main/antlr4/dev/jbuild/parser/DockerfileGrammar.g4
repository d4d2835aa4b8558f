/*
 * The structure of a Dockerfile once LineJoiner has made it one instruction per line:
 * a keyword, leading `--flags`, then the arguments, which are either a JSON array (exec form)
 * or free text that InstructionBuilder splits the way each instruction requires.
 * Keywords are not tokens of their own: they are case-insensitive and an unknown one must
 * still parse, so that it can be reported with a suggestion.
 */
parser grammar DockerfileGrammar;

options { tokenVocab = DockerfileLexer; }

dockerfile  : line* EOF ;

line        : WS? ( instruction WS? )? NEWLINE ;

instruction : keyword ( WS flag )* ( WS DOUBLE_DASH )? ( WS arguments )? ;

keyword     : wordPart+ ;

flag        : FLAG ;

// A JSON array is preferred when the whole argument text is one; otherwise it is text.
arguments   : jsonArray | text ;

text        : word ( WS word )* ;

word        : wordPart+ ;

wordPart    : TEXT | STRING | QUOTE | FLAG | DOUBLE_DASH
            | LBRACK | RBRACK | LBRACE | RBRACE | COLON | COMMA ;

// The array of HEALTHCHECK CMD, parsed on its own.
jsonArrayLine : WS? jsonArray WS? EOF ;

jsonArray   : LBRACK WS? ( jsonValue ( WS? COMMA WS? jsonValue )* )? WS? RBRACK ;

// TEXT stands for a JSON literal (number, true, false, null); JsonValues checks which.
jsonValue   : STRING | TEXT | jsonArray | jsonObject ;

jsonObject  : LBRACE WS? ( jsonMember ( WS? COMMA WS? jsonMember )* )? WS? RBRACE ;

jsonMember  : STRING WS? COLON WS? jsonValue ;
