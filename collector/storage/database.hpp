// The storage seam's lowest layer: a connection to the compliance database, whichever backend
// holds it. The collector's queries are written once against this interface in SQL both backends
// speak (positional parameters `?` or `?N`, TRUE/FALSE, ON CONFLICT, RETURNING); where the
// dialects differ, a query asks `backend()` (see collector/storage/dialect.hpp). Each backend
// keeps its own schema and migrations (collector/storage/<backend>/schema_*.cpp).
//
// Not thread-safe: one connection per thread or behind a lock, as with SQLite itself.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "collector/storage/database_location.hpp"

namespace warden::storage {

// A database failure, classified once here so the services above decide without knowing the
// backend: transient ones (busy, locked, connection lost, serialization failure, disk full) are
// retried by the caller; a constraint violation refuses the one message or request; anything else
// is a defect or a broken database.
class Error : public std::runtime_error {
 public:
  enum class Kind { transient, constraint, other };
  Error(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }
  bool transient() const { return kind_ == Kind::transient; }

 private:
  Kind kind_;
};

// What a backend implements for one prepared statement. Parameters are 1-based; binding keeps its
// values across reset(), as SQLite does.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void bind_int(int index, int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_blob(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  virtual int64_t column_int(int col) const = 0;
  virtual double column_double(int col) const = 0;
  virtual std::string column_text(int col) const = 0;  // a blob column's raw bytes
  virtual bool column_is_null(int col) const = 0;
  virtual int64_t rows_affected() const = 0;  // by the last run of this statement
};

class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  Statement& bind(int index, int64_t value) {
    impl_->bind_int(index, value);
    return *this;
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, uint64_t value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, uint32_t value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value) {
    impl_->bind_double(index, value);
    return *this;
  }
  Statement& bind(int index, std::string_view value) {
    impl_->bind_text(index, value);
    return *this;
  }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::string>& value) {
    if (value) return bind(index, std::string_view(*value));
    return bind_null(index);
  }
  Statement& bind_blob(int index, std::string_view value) {
    impl_->bind_blob(index, value);
    return *this;
  }
  Statement& bind_null(int index) {
    impl_->bind_null(index);
    return *this;
  }

  // Advances; true while a row is available.
  bool step() { return impl_->step(); }
  // Runs a statement that returns no rows (or whose rows nobody reads).
  void run() {
    while (impl_->step()) {
    }
    impl_->reset();
  }
  void reset() { impl_->reset(); }
  int64_t rows_affected() const { return impl_->rows_affected(); }

  int64_t column_int(int col) const { return impl_->column_int(col); }
  double column_double(int col) const { return impl_->column_double(col); }
  std::string column_text(int col) const { return impl_->column_text(col); }
  bool column_is_null(int col) const { return impl_->column_is_null(col); }

 private:
  std::unique_ptr<StatementImpl> impl_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  // Runs one or more statements that take no parameters (migrations, pragmas).
  virtual void exec(std::string_view sql) = 0;
  virtual Statement prepare(std::string_view sql) = 0;
  // A write transaction: on SQLite it takes the write lock at once (BEGIN IMMEDIATE), so a
  // transaction that reads before it writes never fails half-way on a busy database.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // The value one scalar query returns (0 when it returns no row).
  int64_t scalar_int(std::string_view sql) {
    auto st = prepare(sql);
    return st.step() ? st.column_int(0) : 0;
  }
};

// Opens a connection to the database at `location` (creating an SQLite file if needed). Does not
// migrate: see collector/storage/schema.hpp.
std::unique_ptr<Connection> connect(const Location& location);

// Scoped write transaction: begins on construction, rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) { conn_.begin(); }
  ~Transaction() {
    if (!done_) {
      try {
        conn_.rollback();
      } catch (...) {  // the connection is gone: the server rolls back by itself
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    conn_.commit();
    done_ = true;
  }

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace warden::storage
