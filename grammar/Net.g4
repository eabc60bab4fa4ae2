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

hardwareDef : HARDWARE IDENT '{' hwField* '}' ;
hwField     : IDENT '=' expr unit? ';'? ;
unit        : IDENT ('/' IDENT)? ;

// ---------------------------------------------------------------- statements
// Without terminators, `x = f` followed by `(a)`, `+ b` or `- b` reads as one
// statement: the expression continues (a call, a sum) whenever it can. The
// body says so directly, which keeps the parser's decisions short: a
// statement beginning with '(' (other than a tuple-pattern assignment), '+' or
// '-' (leadExpr) only comes first or after a statement not ending in an
// expression.
body : '{' leadExpr? (stmt | closedStmt leadExpr?)* '}' ;

// Statements ending in an expression.
stmt
  : assignStmt              # assignStatement
  | returnStmt              # returnStatement
  | stmtExpr                # exprStatement
  ;
closedStmt
  : forStmt                 # forStatement
  | ifStmt                  # ifStatement
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
// Precedence, loosest first: ?: (right-assoc), |>, ||, &&, comparisons
// (left-assoc: a < b < c is (a < b) < c), + - ++, * / // %, unary - + !,
// ** (right-assoc, and tighter than a unary operator on its left: -2 ** 2 is
// -(2 ** 2); its right operand may be unary: 2 ** -1), then calls and
// indexing. One rule per level, without left recursion.
expr      : pipeExpr (QUESTION expr COLON expr)? ;
pipeExpr  : orExpr (PIPE orExpr)* ;
orExpr    : andExpr (OR andExpr)* ;
andExpr   : cmpExpr (AND cmpExpr)* ;
cmpExpr   : addExpr ((LT | LE | GT | GE | EQ | NE) addExpr)* ;
addExpr   : mulExpr ((PLUS | MINUS | CONCAT) mulExpr)* ;
mulExpr   : unaryExpr ((STAR | SLASH | DSLASH | PERCENT) unaryExpr)* ;
unaryExpr : op=(MINUS | PLUS | NOT) unaryExpr | powExpr ;
powExpr   : postfixExpr (POW unaryExpr)? ;
postfixExpr : (atom | paren) postfix* ;
postfix
  : '(' argList? ')'        # callSuffix
  | '[' slice (',' slice)* ']'  # indexSuffix
  ;

// An expression statement: `expr` split at its first operand, which does not
// begin with '(' '+' or '-' (stmtExpr) or does (leadExpr); exprRest is
// everything after a first operand, level by level.
stmtExpr : (NOT unaryExpr | atom postfix* (POW unaryExpr)?) exprRest ;
leadExpr : ((MINUS | PLUS) unaryExpr | paren postfix* (POW unaryExpr)?) exprRest ;
exprRest
  : ((STAR | SLASH | DSLASH | PERCENT) unaryExpr)*
    ((PLUS | MINUS | CONCAT) mulExpr)*
    ((LT | LE | GT | GE | EQ | NE) addExpr)*
    (AND cmpExpr)*
    (OR andExpr)*
    (PIPE orExpr)*
    (QUESTION expr COLON expr)?
  ;

atom
  : INT                                           # intLit
  | FLOAT                                         # floatLit
  | STRING                                        # stringLit
  | (TRUE | FALSE)                                # boolLit
  | NONE                                          # noneLit
  | IDENT                                         # identRef
  | '[' (expr (',' expr)* ','?)? ']'              # listExpr
  ;
// (e) is e; (), (e,) and (e, f...) are tuples.
paren : '(' (expr (',' expr)* ','?)? ')' ;

argList : arg (',' arg)* ','? ;
arg     : (IDENT '=')? expr ;
// One position of a subscript: an index e, or a range lo:hi or lo:hi:step
// with every part optional (`:` alone keeps a whole dim). A tensor takes one
// position per dim, `x[:, 0]`; a list or string takes one.
slice
  : lo=expr (':' hi=expr? (':' step=expr?)?)?
  | ':' hi=expr? (':' step=expr?)?
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
