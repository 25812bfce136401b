# warden_embed_file(TARGET_VAR SYMBOL INPUT): turns INPUT (generated or in the tree) into a C++
# source defining `extern const std::string_view SYMBOL` in namespace warden::embedded, and
# appends that source's path to TARGET_VAR. Used for data compiled into the binaries (the check
# catalogue, the msgfmt-compiled message catalogues) so a binary needs no data files at run time.
function(warden_embed_file out_var symbol input)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file_script.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/embed_file_script.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  set(${out_var} ${${out_var}} ${output} PARENT_SCOPE)
endfunction()
