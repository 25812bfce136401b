// INI-style files as dconf keyfiles and smb.conf write them: [section] and key = value lines.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace warden::agent {

struct KeyfileSection {
  std::string name;
  std::map<std::string, std::string> values;  // keys as written; later duplicates win
};

// Comments start with '#' or ';'. Section order is kept (smb.conf shares are listed in order).
std::vector<KeyfileSection> parse_keyfile(const std::string& text);

}  // namespace warden::agent
