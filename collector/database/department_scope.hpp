// "A department and everything below it": the one definition, in C++ and in SQL.
// Department names are paths ("Bureau/Finance/Office 1"), compared literally: Finance covers
// Finance and Finance/Office 1, never Finance2 or a name with wildcard characters in it. An empty
// root covers every department.
#pragma once

#include <string>
#include <string_view>

namespace warden::collector {

inline bool in_department_subtree(std::string_view department, std::string_view root) {
  return root.empty() || department == root ||
         (department.size() > root.size() && department.substr(0, root.size()) == root &&
          department[root.size()] == '/');
}

// The same test as an SQL condition on `column`, with the root bound to parameter ?N.
inline std::string department_subtree_sql(std::string_view column, int param) {
  // Typed, so PostgreSQL need not guess the parameter's type from `'' = ?`.
  std::string p = "CAST(?" + std::to_string(param) + " AS TEXT)", c(column);
  return "(" + p + " = '' OR " + c + " = " + p + " OR substr(" + c + ", 1, length(" + p +
         ") + 1) = " + p + " || '/')";
}

}  // namespace warden::collector
