# cmake -DINPUT=file -DOUTPUT=file.cpp -DSYMBOL=name -P embed_file_script.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('[^']*',){16})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_file_script.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace warden::embedded {\n"
  "namespace {\nconst char k_${SYMBOL}[] = {\n  ${bytes}'\\0'};\n}  // namespace\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}{k_${SYMBOL}, ${size}};\n"
  "}  // namespace warden::embedded\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
