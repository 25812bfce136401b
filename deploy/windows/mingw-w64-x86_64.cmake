# CMake toolchain file: cross-compile for 64-bit Windows with Debian's MinGW-w64,
# POSIX-threads variant (x86_64-w64-mingw32-gcc-posix / g++-posix: std::thread,
# std::mutex and friends work, which gRPC, abseil and Boost.Asio rely on).
#
# Dependencies are looked up only in the deps prefix built by build-deps.sh and in
# the MinGW sysroot; programs (protoc, grpc_cpp_plugin) only on the host.
# Pass the prefix either as -DWARDEN_WINDOWS_PREFIX=<dir> or in the environment.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_warden_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER   ${_warden_triple}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_warden_triple}-g++-posix)
set(CMAKE_RC_COMPILER  ${_warden_triple}-windres)
set(CMAKE_AR           /usr/bin/${_warden_triple}-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB       /usr/bin/${_warden_triple}-gcc-ranlib-posix CACHE FILEPATH "")

# try_compile() re-reads this file in a fresh project: forward the prefix to it.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES WARDEN_WINDOWS_PREFIX)
if(NOT WARDEN_WINDOWS_PREFIX AND DEFINED ENV{WARDEN_WINDOWS_PREFIX})
  set(WARDEN_WINDOWS_PREFIX "$ENV{WARDEN_WINDOWS_PREFIX}")
endif()

set(CMAKE_FIND_ROOT_PATH /usr/${_warden_triple})
if(WARDEN_WINDOWS_PREFIX)
  list(PREPEND CMAKE_FIND_ROOT_PATH "${WARDEN_WINDOWS_PREFIX}")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Static libraries only: never pick up an import library (.dll.a).
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)

# Windows 10 API level everywhere (abseil needs >= 0x0600; gRPC's own 0x600 is
# overridden because these flags come after its add_definitions()).
set(CMAKE_C_FLAGS_INIT   "-D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00")
set(CMAKE_CXX_FLAGS_INIT "-D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00")

# Executables: no MinGW runtime DLLs (libgcc_s, libstdc++, libwinpthread).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
