// One error model for the whole code base.
//
// An anticipated failure is a value: Result<T> holds either a T or an Error, and an Error has one
// of a few kinds that say what the caller can do about it, plus a message a person understands
// (never a command-line flag: storage and services do not know how they were called). Where a
// failure starts deep in a call chain that cannot return a Result at every step (a storage query
// inside a transaction, a parser), it is thrown as a Failure carrying the same Error, and the
// entry point (common/entry_point.hpp, the admin service) turns it back into one.
//
// Kinds map to gRPC status codes (collector/error_status.hpp) and to wardenctl's exit codes
// (exit_code() below) in exactly one place each.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace warden {

enum class ErrorKind {
  invalid,      // the request or input is wrong: fix it and try again
  not_found,    // what it names does not exist
  conflict,     // it contradicts what is there (an address already bound, an ambiguous name)
  denied,       // not allowed for this caller (the read-only auditor socket)
  unavailable,  // a passing condition (a busy or full database, a peer down): try again later
  internal,     // a fault in Warden itself: see the log
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

inline Error invalid(std::string m) {
  return {ErrorKind::invalid, std::move(m)};
}
inline Error not_found(std::string m) {
  return {ErrorKind::not_found, std::move(m)};
}
inline Error conflict(std::string m) {
  return {ErrorKind::conflict, std::move(m)};
}
inline Error denied(std::string m) {
  return {ErrorKind::denied, std::move(m)};
}
inline Error unavailable(std::string m) {
  return {ErrorKind::unavailable, std::move(m)};
}
inline Error internal(std::string m) {
  return {ErrorKind::internal, std::move(m)};
}

// "invalid", "not_found", ...: stable names for JSON output and logs.
std::string_view kind_name(ErrorKind kind);
// wardenctl's exit status for an error of this kind (0 is success; documented in its --help).
int exit_code(ErrorKind kind);

// An Error thrown through layers that cannot return a Result; caught at entry points.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// A T, or the Error that prevented it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit, like std::expected
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return get(); }
  const T& value() const& { return const_cast<Result*>(this)->get(); }
  T&& value() && { return std::move(get()); }
  T* operator->() { return &get(); }
  const T* operator->() const { return &const_cast<Result*>(this)->get(); }
  T& operator*() { return get(); }
  const Error& error() const { return std::get<1>(v_); }
  // The value, or a Failure thrown with the error (at a boundary that works with exceptions).
  T take() && {
    if (!ok()) throw Failure(error());
    return std::move(std::get<0>(v_));
  }

 private:
  T& get() {
    if (!ok()) throw Failure(error());
    return std::get<0>(v_);
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  void take() && {
    if (!ok_) throw Failure(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace warden
