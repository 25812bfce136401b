# Every dependency comes from Debian 12 packages; deploy/install-deps.sh installs them.
# On Windows (WARDEN_PLATFORM windows) only what warden-agent.exe needs, from the prefix that
# deploy/windows/build-deps.sh cross-builds (see docs/windows.md): no Boost.Locale/ICU there, so
# common/i18n is English-only on Windows; no collector or Linux probe libraries.
find_package(Threads REQUIRED)
if(WARDEN_PLATFORM STREQUAL "windows")
  find_package(Protobuf CONFIG REQUIRED)
  find_package(gRPC CONFIG REQUIRED)
  find_package(OpenSSL 3 REQUIRED)
  find_package(SQLite3 REQUIRED)
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(CLI11 CONFIG REQUIRED)
  # Boost: headers only (Asio; Boost.System is header-only since 1.69), no CMake package files.
  find_path(WARDEN_BOOST_INCLUDE_DIR boost/asio.hpp REQUIRED)
  add_library(Boost::system INTERFACE IMPORTED)
  target_include_directories(Boost::system INTERFACE ${WARDEN_BOOST_INCLUDE_DIR})
  target_compile_definitions(Boost::system INTERFACE BOOST_ASIO_NO_DEPRECATED)
  # Host code generators, the same versions as the cross-built runtime.
  find_program(WARDEN_PROTOC protoc REQUIRED)
  if(NOT TARGET protobuf::protoc)
    add_executable(protobuf::protoc IMPORTED)
    set_target_properties(protobuf::protoc PROPERTIES IMPORTED_LOCATION ${WARDEN_PROTOC})
  endif()
  find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
  # Windows system libraries used by gRPC, c-ares, OpenSSL, Asio and the probes.
  set(WARDEN_WINDOWS_SYSTEM_LIBS ws2_32 mswsock iphlpapi crypt32 bcrypt userenv advapi32 dbghelp)
  return()
endif()
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system locale)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson 3 CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(PostgreSQL 15 REQUIRED)  # libpq: the collector's PostgreSQL backend
find_package(PkgConfig REQUIRED)
pkg_check_modules(APTPKG REQUIRED IMPORTED_TARGET apt-pkg)
pkg_check_modules(LIBUDEV REQUIRED IMPORTED_TARGET libudev)
pkg_check_modules(LIBSYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
