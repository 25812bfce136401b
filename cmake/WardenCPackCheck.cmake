# Read by cpack before it builds any package (CPACK_PROJECT_CONFIG_FILE).
if(NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR
    "refusing to package: this build tree is configured with CMAKE_INSTALL_PREFIX="
    "${CPACK_PACKAGING_INSTALL_PREFIX}, but Warden's packages install under /usr (their units, "
    "maintainer scripts and the paths compiled into the binaries expect it). Reconfigure with "
    "-DCMAKE_INSTALL_PREFIX=/usr, or build with ./deploy/package.sh, which does.")
endif()
