#include "agent/hygiene/keyfile.hpp"

#include <sstream>
#include "common/text.hpp"

namespace warden::agent {

std::vector<KeyfileSection> parse_keyfile(const std::string& text) {
  std::vector<KeyfileSection> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = text::trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      out.push_back({text::trim(line.substr(1, line.size() - 2)), {}});
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos || out.empty()) continue;
    out.back().values[text::trim(line.substr(0, eq))] = text::trim(line.substr(eq + 1));
  }
  return out;
}

}  // namespace warden::agent
