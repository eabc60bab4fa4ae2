// Net.g4 — the grammar of netc's .net language.
//
// The parser does no semantic checks: it accepts the shape of the language and
// nothing more. Names, types, shapes and units are checked by later stages.
// Statements need no terminator: newlines are ordinary white space and an
// optional ';' may separate statements. Because of this, a statement never
// starts with '(' or '[' (write `a, b = f(x)`, not `(a, b) = f(x)`).
grammar Net;

// ---------------------------------------------------------------- top level
file_ : topItem* EOF ;

topItem
  : importDecl
  | blockDef
  | networkDef
  | hardwareDef
  | ';'
  ;

importDecl  : IMPORT STRING ';'? ;
blockDef    : BLOCK IDENT '(' paramList? ')' body ;
networkDef  : NETWORK IDENT '(' paramList? ')' body ;
paramList   : param (',' param)* ','? ;
param       : IDENT (':' typeRef)? ('=' expr)? ;
typeRef     : IDENT ;
body        : '{' stmt* '}' ;

hardwareDef : HARDWARE IDENT '{' hwField* '}' ;
hwField     : IDENT '=' expr unit? ';'? ;
unit        : IDENT ('/' IDENT)? ;

// ---------------------------------------------------------------- statements
stmt
  : assignStmt ';'?         # assignStatement
  | forStmt                 # forStatement
  | ifStmt                  # ifStatement
  | returnStmt ';'?         # returnStatement
  | expr ';'?               # exprStatement
  | ';'                     # emptyStatement
  ;

assignStmt : pattern (',' pattern)* '=' expr ;
forStmt    : FOR pattern (',' pattern)* IN expr body ;
ifStmt     : IF expr body (ELSE (ifStmt | body))? ;
returnStmt : RETURN expr (',' expr)* ;

pattern
  : IDENT                                   # namePattern
  | '(' pattern (',' pattern)* ','? ')'     # tuplePattern
  ;

// ---------------------------------------------------------------- expressions
// Precedence, tightest first: call/index, **, unary, * / // %, + - ++,
// comparisons, &&, ||, |>, ?: .
expr
  : primary                                              # primaryExpr
  | expr '(' argList? ')'                                # callExpr
  | expr '[' slice ']'                                   # indexExpr
  | <assoc=right> expr op='**' expr                      # binaryExpr
  | op=('-' | '+' | '!') expr                            # unaryExpr
  | expr op=('*' | '/' | '//' | '%') expr                # binaryExpr
  | expr op=('+' | '-' | '++') expr                      # binaryExpr
  | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr # binaryExpr
  | expr op='&&' expr                                    # binaryExpr
  | expr op='||' expr                                    # binaryExpr
  | expr op='|>' expr                                    # pipeExpr
  | <assoc=right> expr '?' expr ':' expr                 # condExpr
  ;

primary
  : INT                                           # intLit
  | FLOAT                                         # floatLit
  | STRING                                        # stringLit
  | (TRUE | FALSE)                                # boolLit
  | NONE                                          # noneLit
  | IDENT                                         # identRef
  | '(' expr ')'                                  # parenExpr
  | '(' (expr ',' (expr (',' expr)* ','?)?)? ')'  # tupleExpr
  | '[' (expr (',' expr)* ','?)? ']'              # listExpr
  ;

argList : arg (',' arg)* ','? ;
arg     : (IDENT '=')? expr ;
slice
  : expr                                # indexSlice
  | lo=expr? ':' hi=expr?               # rangeSlice
  ;

// ---------------------------------------------------------------- tokens
IMPORT   : 'import' ;
BLOCK    : 'block' ;
NETWORK  : 'network' ;
HARDWARE : 'hardware' ;
FOR      : 'for' ;
IN       : 'in' ;
IF       : 'if' ;
ELSE     : 'else' ;
RETURN   : 'return' ;
TRUE     : 'true' ;
FALSE    : 'false' ;
NONE     : 'none' ;

LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
COMMA    : ',' ;
SEMI     : ';' ;
COLON    : ':' ;
ASSIGN   : '=' ;
QUESTION : '?' ;
PIPE     : '|>' ;
POW      : '**' ;
STAR     : '*' ;
SLASH    : '/' ;
DSLASH   : '//' ;
PERCENT  : '%' ;
PLUS     : '+' ;
MINUS    : '-' ;
CONCAT   : '++' ;
LT       : '<' ;
LE       : '<=' ;
GT       : '>' ;
GE       : '>=' ;
EQ       : '==' ;
NE       : '!=' ;
AND      : '&&' ;
OR       : '||' ;
NOT      : '!' ;

IDENT  : [a-zA-Z_] [a-zA-Z0-9_]* ;
FLOAT  : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT | '.' DIGITS EXPONENT? ;
INT    : DIGITS ;
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// A number running into letters, '_' or a second '.', e.g. 0x10, 1_, 128GiB,
// 1.5.5: longer than any valid number it starts with, so it wins.
BAD_NUMBER : ([0-9] | '.' [0-9]) [0-9a-zA-Z_.]* ;

LINE_COMMENT  : '#' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f\uFEFF]+ -> skip ;  // U+FEFF: a byte-order mark

// Error tokens: the lexer never fails; these are reported with a located,
// readable message by the front end before the parser runs.
UNTERMINATED_STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
UNTERMINATED_COMMENT : '/*' ;
BAD_CHAR             : . ;

fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;
