" Vim syntax file
" Language:   netc's .net neural-network descriptions (grammar/Net.g4)
" Filenames:  *.net
" The keywords are Net.g4's; tests/cli/editor-keywords.py checks that every
" keyword of the grammar is here.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

" Function calls `f(`, before the keywords and builtins (later items win at
" the same position, and keywords win over matches).
syn match netcFunction /\<\h\w*\ze\s*(/
syn match netcBuiltin
      \ /\<\%(min\|max\|abs\|floor\|ceil\|round\|int\|float\|str\|len\|range\|enumerate\|zip\|make_divisible\|channels\|shape\|assert\|log\|log2\|exp\|sqrt\|sum\|mean\|print\)\ze\s*(/
" x |> f: f is called.
syn match netcPipeTarget /\%(|>\s*\)\@<=\h\w*\>\%(\s*(\)\@!/

" Keywords.
syn keyword netcInclude     import
syn keyword netcDefine      block network nextgroup=netcFuncName skipwhite
syn keyword netcHardware    hardware nextgroup=netcHwName skipwhite
syn keyword netcRepeat      for in
syn keyword netcConditional if else
syn keyword netcStatement   return
syn keyword netcBoolean     true false
syn keyword netcConstant    none
syn match   netcFuncName    /\h\w*/ contained
syn match   netcHwName      /\h\w*/ contained

" Keyword arguments `name=` (not `==`), inside parentheses.
syn region netcParens matchgroup=netcDelimiter start=/(/ end=/)/ contains=TOP transparent
syn match netcKwarg /\<\h\w*\ze\s*=\%(=\)\@!/ contained containedin=netcParens

" Parameter types (after ':' in a parameter list; ':' also starts a slice's
" bound and a conditional's else, so only the type names;
" after netcKwarg: `k: int = 3` is a type, not a keyword argument).
syn match netcType /\%(:\s*\)\@<=\<\%(int\|float\|bool\|str\|tensor\|list\|tuple\|fn\|any\)\>\%(\s*(\)\@!/

" Operators, longest first.
syn match netcOperator /|>\|\*\*\|\/\/\|++\|&&\|||\|[=!<>]=\|[-+*/%<>=!?]/

" Hardware units after a number: 76.8 GB/s, 960 GFLOP/s, 128 GiB, 5 us.
syn match netcUnit /\%(\d\s*\)\@<=\<\%([kKMGTP]\=\%(FLOP\|OP\)\/s\|\%([kKMGT]\|[KMGT]i\)\=B\%(\/s\)\=\|[mun]\=s\)\>\%(\/\)\@!/

" Numbers: 224, 1_000, 0.5, 1e-5, .5. A number running into letters, '_' or a
" second '.' (0x10, 1_, 128GiB, 1.5.5) is an error, as in the grammar.
syn match netcBadNumber /\%(\<\d\|\%(\w\|\.\)\@<!\.\d\)[0-9A-Za-z_.]*/
syn match netcNumber /\<\d\%(_\=\d\)*\%([0-9A-Za-z_.]\)\@!/
syn match netcFloat  /\<\d\%(_\=\d\)*\.\d\%(_\=\d\)*\%([eE][+-]\=\d\+\)\=\%([0-9A-Za-z_.]\)\@!/
syn match netcFloat  /\<\d\%(_\=\d\)*[eE][+-]\=\d\+\%([0-9A-Za-z_.]\)\@!/
syn match netcFloat  /\%(\w\|\.\)\@<!\.\d\%(_\=\d\)*\%([eE][+-]\=\d\+\)\=\%([0-9A-Za-z_.]\)\@!/

" Strings: \" \\ \n \t \r \0; any other escape is an error. One line only.
syn match  netcBadEscape /\\./ contained
syn match  netcEscape    /\\["\\ntr0]/ contained
syn region netcString start=/"/ skip=/\\\\\|\\"/ end=/"/ end=/$/ contains=netcEscape,netcBadEscape,@Spell oneline

" Comments: # to the end of the line, and /* block */ (not nested).
syn keyword netcTodo    TODO FIXME XXX NOTE contained
syn match   netcComment /#.*$/ contains=netcTodo,@Spell
syn region  netcComment start=+/\*+ end=+\*/+ contains=netcTodo,@Spell
syn sync ccomment netcComment minlines=50

hi def link netcFunction    Function
hi def link netcBuiltin     Function
hi def link netcPipeTarget  Function
hi def link netcFuncName    Function
hi def link netcHwName      Type
hi def link netcInclude     Include
hi def link netcDefine      Structure
hi def link netcHardware    Structure
hi def link netcRepeat      Repeat
hi def link netcConditional Conditional
hi def link netcStatement   Statement
hi def link netcBoolean     Boolean
hi def link netcConstant    Constant
hi def link netcType        Type
hi def link netcKwarg       Identifier
hi def link netcOperator    Operator
hi def link netcDelimiter   Delimiter
hi def link netcUnit        Special
hi def link netcNumber      Number
hi def link netcFloat       Float
hi def link netcBadNumber   Error
hi def link netcString      String
hi def link netcEscape      SpecialChar
hi def link netcBadEscape   Error
hi def link netcTodo        Todo
hi def link netcComment     Comment

let b:current_syntax = 'netc'

let &cpo = s:cpo_save
unlet s:cpo_save
