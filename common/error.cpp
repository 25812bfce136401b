#include "common/error.hpp"

namespace warden {

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return "invalid";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::denied:
      return "denied";
    case ErrorKind::unavailable:
      return "unavailable";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return 2;
    case ErrorKind::not_found:
      return 3;
    case ErrorKind::conflict:
      return 4;
    case ErrorKind::denied:
      return 5;
    case ErrorKind::unavailable:
      return 6;
    case ErrorKind::internal:
      return 1;
  }
  return 1;
}

}  // namespace warden
