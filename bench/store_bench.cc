// Storage round trips on the embedded SQLite database (the default backend):
// a prepared point read and a write transaction.
//   build/release/bench/store_bench --benchmark_min_time=0.5

#include <filesystem>

#include <benchmark/benchmark.h>

#include "core/clock.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tenants/tenants.h"

namespace hcms {
namespace {

struct Fixture {
  std::string dir;
  std::unique_ptr<store::Database> db;
  Fixture() {
    char tmpl[] = "/tmp/hcms-bench-XXXXXX";
    dir = mkdtemp(tmpl);
    store::DatabaseOptions o;
    o.sqlite_path = dir + "/bench.db";
    db = std::move(*store::Database::Open(o));
    (void)store::Migrate(*db, store::BuiltinMigrations(store::Dialect::kSqlite),
                         SystemClock::Instance());
    tenants::TenantRepository repo(*db, SystemClock::Instance());
    (void)repo.Create({.slug = "default", .name = "Bench"});
  }
  ~Fixture() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_SqlitePointRead(benchmark::State& state) {
  Fixture f;
  tenants::TenantRepository repo(*f.db, SystemClock::Instance());
  for (auto _ : state) {
    auto t = repo.FindBySlug("default");
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_SqlitePointRead);

void BM_SqliteWriteTransaction(benchmark::State& state) {
  Fixture f;
  (void)f.db->Run([](store::Connection& c) {
    return c.ExecuteScript("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
  });
  int64_t i = 0;
  for (auto _ : state) {
    auto r = f.db->Transact([&](store::Connection& tx) {
      return tx.Execute("INSERT INTO kv (k, v) VALUES ($1, $2)", {++i, "value"});
    });
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_SqliteWriteTransaction);

}  // namespace
}  // namespace hcms

BENCHMARK_MAIN();
