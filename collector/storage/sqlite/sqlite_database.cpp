#include "collector/storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

namespace warden::storage {

namespace {

[[noreturn]] void rethrow(const sqlite::Error& e) {
  int primary = e.code() & 0xff;
  if (e.transient()) throw Error(Error::Kind::transient, e.what());
  if (primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG)
    throw Error(Error::Kind::constraint, e.what());
  throw Error(Error::Kind::other, e.what());
}

// Every call into common/sqlite goes through here, so callers see storage::Error only.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const sqlite::Error& e) {
    rethrow(e);
  }
}

class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite::Connection& db, sqlite::Statement st) : db_(db), st_(std::move(st)) {}
  void bind_int(int i, int64_t v) override {
    guarded([&] { st_.bind(i, v); });
  }
  void bind_double(int i, double v) override {
    guarded([&] { st_.bind(i, v); });
  }
  void bind_text(int i, std::string_view v) override {
    guarded([&] { st_.bind(i, v); });
  }
  void bind_blob(int i, std::string_view v) override {
    guarded([&] { st_.bind_blob(i, v); });
  }
  void bind_null(int i) override {
    guarded([&] { st_.bind_null(i); });
  }
  bool step() override {
    return guarded([&] {
      bool row = st_.step();
      if (!row) changes_ = db_.changes();
      return row;
    });
  }
  void reset() override { st_.reset(); }
  int64_t column_int(int c) const override { return st_.column_int(c); }
  double column_double(int c) const override { return st_.column_double(c); }
  std::string column_text(int c) const override { return st_.column_text(c); }
  bool column_is_null(int c) const override { return st_.column_is_null(c); }
  int64_t rows_affected() const override { return changes_; }

 private:
  sqlite::Connection& db_;
  sqlite::Statement st_;
  int64_t changes_ = 0;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path)
      : db_(guarded([&] { return std::make_unique<sqlite::Connection>(path); })) {}
  Backend backend() const override { return Backend::sqlite; }
  void exec(std::string_view sql) override {
    guarded([&] { db_->exec(sql); });
  }
  Statement prepare(std::string_view sql) override {
    return Statement(
        guarded([&] { return std::make_unique<SqliteStatement>(*db_, db_->prepare(sql)); }));
  }
  void begin() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }
  sqlite::Connection& handle() { return *db_; }

 private:
  std::unique_ptr<sqlite::Connection> db_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

sqlite::Connection* sqlite_handle(Connection& conn) {
  auto* s = dynamic_cast<SqliteConnection*>(&conn);
  return s ? &s->handle() : nullptr;
}

}  // namespace warden::storage
