#include "collector/storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace warden::storage {

namespace {

constexpr Oid kByteaOid = 17;
constexpr Oid kBoolOid = 16;
constexpr Oid kTextOid = 25;

Error::Kind kind_of(const char* sqlstate, bool connection_ok) {
  if (!connection_ok) return Error::Kind::transient;
  std::string_view s = sqlstate ? sqlstate : "";
  // 08: connection exception; 40001 serialization failure; 40P01 deadlock; 53: insufficient
  // resources (disk full, out of memory, too many connections); 57P0x: the server is shutting
  // down or restarting; 55P03: lock not available.
  if (s.starts_with("08") || s == "40001" || s == "40P01" || s.starts_with("53") ||
      s.starts_with("57P") || s == "55P03")
    return Error::Kind::transient;
  // 23: integrity constraint violation; 22: data exception (bad encoding, value out of range,
  // invalid JSON): both are about the one row that was refused.
  if (s.starts_with("23") || s.starts_with("22")) return Error::Kind::constraint;
  return Error::Kind::other;
}

// libpq's messages end in a newline and may go on with a LINE/caret excerpt of the statement:
// only the first line goes into logs and answers.
std::string first_line(const char* message) {
  std::string m = message ? message : "";
  if (auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection;

class PostgresStatement final : public StatementImpl {
 public:
  PostgresStatement(PostgresConnection& conn, std::string sql, int params)
      : conn_(conn), sql_(std::move(sql)), values_(static_cast<size_t>(params)) {}
  void bind_int(int i, int64_t v) override {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    set(i, std::string(buf, r.ptr), false);
  }
  void bind_double(int i, double v) override {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    set(i, std::string(buf, r.ptr), false);
  }
  void bind_text(int i, std::string_view v) override { set(i, std::string(v), false); }
  void bind_blob(int i, std::string_view v) override { set(i, std::string(v), true); }
  void bind_null(int i) override { slot(i) = Param{}; }
  bool step() override;
  void reset() override {
    result_.reset();
    row_ = -1;
  }
  int64_t column_int(int c) const override {
    const char* v = value(c);
    if (PQftype(result_.get(), c) == kBoolOid) return v[0] == 't' ? 1 : 0;
    int64_t out = 0;
    auto len = std::strlen(v);
    auto r = std::from_chars(v, v + len, out);
    if (r.ec != std::errc() || (r.ptr != v + len && *r.ptr != '.'))
      return static_cast<int64_t>(column_double(c));  // numeric(…) from sum() and the like
    return out;
  }
  double column_double(int c) const override { return std::strtod(value(c), nullptr); }
  std::string column_text(int c) const override;
  bool column_is_null(int c) const override { return PQgetisnull(result_.get(), row_, c) != 0; }
  int64_t rows_affected() const override { return affected_; }

 private:
  struct Param {
    bool null = true;
    bool binary = false;
    std::string data;
  };
  Param& slot(int i) {
    if (i < 1 || static_cast<size_t>(i) > values_.size())
      throw Error(Error::Kind::other, "parameter index " + std::to_string(i) + " out of range");
    return values_[static_cast<size_t>(i - 1)];
  }
  void set(int i, std::string data, bool binary) {
    auto& p = slot(i);
    p.null = false;
    p.binary = binary;
    p.data = std::move(data);
  }
  const char* value(int c) const {
    if (!result_ || row_ < 0 || c < 0 || c >= PQnfields(result_.get()))
      throw Error(Error::Kind::other, "no column " + std::to_string(c) + " in this row");
    return PQgetvalue(result_.get(), row_, c);
  }

  PostgresConnection& conn_;
  std::string sql_;  // with $N placeholders
  std::vector<Param> values_;
  Result result_;
  int row_ = -1;
  int64_t affected_ = 0;
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(std::string uri) : uri_(std::move(uri)) { open(); }
  ~PostgresConnection() override {
    if (conn_) PQfinish(conn_);
  }
  Backend backend() const override { return Backend::postgresql; }

  void exec(std::string_view sql) override {
    ensure_open();
    Result r(PQexec(conn_, std::string(sql).c_str()));
    check(r.get(), "");
  }
  Statement prepare(std::string_view sql) override {
    std::string converted = postgres_placeholders(sql);
    int params = static_cast<int>(referenced_params(converted).size());
    return Statement(std::make_unique<PostgresStatement>(*this, std::move(converted), params));
  }
  void begin() override {
    exec("BEGIN");
    in_transaction_ = true;
  }
  void commit() override {
    in_transaction_ = false;
    exec("COMMIT");
  }
  void rollback() override {
    in_transaction_ = false;
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) exec("ROLLBACK");
  }

  // Runs a statement prepared once per connection (and again after a reconnect).
  Result execute(const std::string& sql, const std::vector<const char*>& values,
                 const std::vector<int>& lengths, const std::vector<int>& formats) {
    ensure_open();
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = "w" + std::to_string(prepared_.size() + 1);
      // A query built from optional parts may leave some parameters out ($2 used, $1 not):
      // those get a type (text) so the server need not infer one from nothing; the others are
      // inferred from where they appear.
      auto referenced = referenced_params(sql);
      std::vector<Oid> types(values.size(), 0);
      for (size_t i = 0; i < types.size(); ++i)
        if (i >= referenced.size() || !referenced[i]) types[i] = kTextOid;
      Result p(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                         types.data()));
      check(p.get(), sql);
      it = prepared_.emplace(sql, std::move(name)).first;
    }
    Result r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                            values.data(), lengths.data(), formats.data(), 0));
    check(r.get(), sql);
    return r;
  }

 private:
  void open() {
    conn_ = libpq_connect(uri_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string why = first_line(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      throw Error(Error::Kind::transient, "cannot connect to PostgreSQL: " + why);
    }
    // Times are Unix milliseconds in BIGINT columns; nothing depends on the session's zone, but
    // the text of errors and any timestamp a human reads in psql should not vary by server.
    Result r(PQexec(conn_, "SET TIME ZONE 'UTC'; SET client_min_messages = warning"));
    check(r.get(), "");
  }
  // A connection that broke (server restarted, network cut) is opened again, but never inside a
  // transaction: that transaction is gone with the connection, and the caller must learn it.
  void ensure_open() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
    if (in_transaction_)
      throw Error(Error::Kind::transient, "the connection to PostgreSQL was lost mid-transaction");
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    prepared_.clear();
    open();
  }
  void check(PGresult* r, const std::string& sql) {
    auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    bool ok = conn_ && PQstatus(conn_) == CONNECTION_OK;
    const char* sqlstate = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    // The primary message alone ("duplicate key value violates ..."), without "ERROR:  " and the
    // statement excerpt; the connection's message when there is no result.
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = first_line(primary ? primary : PQerrorMessage(conn_));
    if (message.empty()) message = first_line(PQerrorMessage(conn_));
    if (sqlstate && std::string_view(sqlstate) == "26000") prepared_.clear();
    (void)sql;  // the statement is not in the message: it may be long, and values never are
    throw Error(kind_of(sqlstate, ok), "PostgreSQL: " + message);
  }
  // Which of $1..$N the statement uses (element i: $i+1); its size is the highest N. A whole
  // number is read, so $10 does not count as $1.
  static std::vector<bool> referenced_params(const std::string& sql) {
    std::vector<bool> used;
    for (size_t i = 0; i < sql.size(); ++i) {
      if (sql[i] != '$' || i + 1 >= sql.size() ||
          !std::isdigit(static_cast<unsigned char>(sql[i + 1])))
        continue;
      size_t n = 0, j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) && n < 100000)
        n = n * 10 + static_cast<size_t>(sql[j++] - '0');
      if (n > 0) {
        if (used.size() < n) used.resize(n, false);
        used[n - 1] = true;
      }
      i = j - 1;
    }
    return used;
  }

  std::string uri_;
  PGconn* conn_ = nullptr;
  bool in_transaction_ = false;
  std::unordered_map<std::string, std::string> prepared_;
};

bool PostgresStatement::step() {
  if (!result_) {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size()), formats(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      values[i] = values_[i].null ? nullptr : values_[i].data.c_str();
      lengths[i] = static_cast<int>(values_[i].data.size());
      formats[i] = values_[i].binary ? 1 : 0;
    }
    result_ = conn_.execute(sql_, values, lengths, formats);
    row_ = -1;
    const char* tuples = PQcmdTuples(result_.get());
    affected_ = (tuples && *tuples) ? std::strtoll(tuples, nullptr, 10) : 0;
  }
  if (row_ + 1 < PQntuples(result_.get())) {
    ++row_;
    return true;
  }
  return false;
}

std::string PostgresStatement::column_text(int c) const {
  const char* v = value(c);
  if (PQftype(result_.get(), c) != kByteaOid)
    return std::string(v, PQgetlength(result_.get(), row_, c));
  size_t len = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &len);
  if (!raw) throw Error(Error::Kind::other, "PostgreSQL: cannot decode a bytea value");
  std::string out(reinterpret_cast<char*>(raw), len);
  PQfreemem(raw);
  return out;
}

}  // namespace

PGconn* libpq_connect(const std::string& uri) {
  // A database that stops answering (a network partition, a host gone) must fail a statement
  // within seconds, not when the kernel gives up retransmitting a quarter of an hour later, so
  // the Ingestor retries and the agents keep their messages meanwhile. The URI's own settings
  // win: a key it sets is not given again here.
  static const std::pair<const char*, const char*> kDefaults[] = {
      {"connect_timeout", "10"},
      {"keepalives", "1"},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "5"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", "20000"},
      {"application_name", "warden-collector"}};
  std::vector<const char*> k = {"dbname"}, v = {uri.c_str()};
  for (const auto& [key, value] : kDefaults)
    if (uri.find(std::string(key) + "=") == std::string::npos) {
      k.push_back(key);
      v.push_back(value);
    }
  k.push_back(nullptr);
  v.push_back(nullptr);
  return PQconnectdbParams(k.data(), v.data(), 1);
}

std::string postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted identifier, '' / "" escapes included
      size_t end = sql.find(c, i + 1);
      while (end != std::string_view::npos && end + 1 < sql.size() && sql[end + 1] == c)
        end = sql.find(c, end + 2);
      end = end == std::string_view::npos ? sql.size() - 1 : end;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() - 1 : end;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '?') {
      size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      out += '$';
      if (j > i + 1) {
        out.append(sql.substr(i + 1, j - i - 1));
        i = j - 1;
      } else {
        out += std::to_string(++next);
      }
    } else {
      out += c;
    }
  }
  return out;
}

std::unique_ptr<Connection> connect_postgresql(const std::string& uri) {
  return std::make_unique<PostgresConnection>(uri);
}

}  // namespace warden::storage
