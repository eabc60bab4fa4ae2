# Run by grammar/CMakeLists.txt on each generated recognizer (-DFILE= -DCLASS=
# -DBASE=). ANTLR 4.7's C++ target deserializes the ATN in a static object's
# constructor, so every process paid for both recognizers at start-up
# (about 2.7M instructions for the lexer alone, even for `netc --version`).
# This moves that object into the constructor as a function-local static:
# deserialized once, thread-safely, on first use, and never in a process that
# does not construct the class (netc's parse path does not use NetLexer).
file(READ "${FILE}" text)
set(ctor "${CLASS}::${CLASS}(${BASE}Stream *input) : ${BASE_CLASS}(input) {\n")
set(init "${CLASS}::Initializer ${CLASS}::_init;\n")
string(FIND "${text}" "${ctor}" at_ctor)
string(FIND "${text}" "${init}" at_init)
if(at_ctor EQUAL -1 OR at_init EQUAL -1)
  message(FATAL_ERROR "LazyInit.cmake: ${FILE} does not have the expected ANTLR 4.7 "
                      "static initializer; see grammar/README.md")
endif()
string(REPLACE "${init}" "" text "${text}")
string(REPLACE "${ctor}" "${ctor}  static Initializer init; // netc: see grammar/LazyInit.cmake\n"
       text "${text}")
file(WRITE "${FILE}" "${text}")
