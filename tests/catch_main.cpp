// The test binaries' main. The language of what the programs under test print follows the
// environment (LC_ALL, LC_MESSAGES, LANG, LANGUAGE): tests that assert English text must not
// depend on the locale of the machine that runs them, so these are pinned to English here, and
// tests of another language ask for it explicitly (--lang, or an environment of their own).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
  unsetenv("LC_ALL");
  unsetenv("LC_MESSAGES");
  unsetenv("LANGUAGE");
  setenv("LANG", "C.UTF-8", 1);
  return Catch::Session().run(argc, argv);
}
