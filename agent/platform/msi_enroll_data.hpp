#pragma once
// What the MSI hands its enrollment custom action (deferred, so the only input is the
// CustomActionData property, set from COLLECTOR, CA_FINGERPRINT, TOKEN_FILE or TOKEN and the
// installed exe's path), and the command line that action runs. The token is never on that
// command line (every user of the PC can read process command lines): the action writes it to the
// child's standard input (`enroll --token-file -`). With TOKEN_FILE the token is on no command
// line at all, msiexec's included (TOKEN=... on msiexec's own command line is visible while it
// runs). Platform-free and unit-tested on Linux; the Win32 side is
// agent/platform/windows/msi_custom_actions.cpp.
#include <string>
#include <string_view>

namespace warden::agent {

struct MsiEnrollData {
  std::string collector;       // HOST:PORT (several comma-separated, as `enroll` accepts)
  std::string ca_fingerprint;  // SHA256:<hex>
  std::string token;           // TOKEN, or empty when the token is in token_file
  std::string token_file;      // TOKEN_FILE: a path
  std::string exe_path;        // C:\Program Files\Warden\warden-agent.exe
};

// CustomActionData is `COLLECTOR|CA_FINGERPRINT|TOKEN|TOKEN_FILE|EXE`
// (deploy/windows/warden-agent.wxs): '|' cannot occur in a Windows path, and is refused in the
// other fields. Exactly one of TOKEN and TOKEN_FILE. Every field is bounded and checked (no
// quotes, spaces or control characters where a command line would be split or broken);
// std::invalid_argument otherwise, whose message never contains the token.
MsiEnrollData parse_msi_enroll_data(std::string_view custom_action_data);

// The token from a token file's content: a UTF-8 byte-order mark (Notepad writes one) and
// surrounding whitespace removed, then the same rules as TOKEN (std::invalid_argument otherwise,
// never echoing the content).
std::string msi_token_from_file(std::string_view content);

// `"EXE" enroll --collector "C" --ca-fingerprint "F" --token-file -`
std::string msi_enroll_command_line(const MsiEnrollData& data);

}  // namespace warden::agent
