// The storage contract fixture: each test runs once on SQLite and once on a real
// PostgreSQL server, on a fresh, migrated database.
//
//   class TenantRepositoryTest : public hcms::testing::DatabaseTest {};
//   TEST_P(TenantRepositoryTest, CreatesAndFinds) { TenantRepository repo(db(), clock()); ... }
//   HCMS_INSTANTIATE_BACKENDS(TenantRepositoryTest);

#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/database.h"
#include "tests/support/hcms_process.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {

class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  store::Database& db() { return *db_; }
  ManualClock& clock() { return clock_; }
  Backend backend() const { return GetParam(); }

  // Override to get an empty database (no migrations applied).
  virtual bool Migrated() const { return true; }
  // Options used to open the database (tests may change them before SetUp runs).
  store::DatabaseOptions options_;

 private:
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<store::Database> db_;
  ManualClock clock_{TimePoint(std::chrono::seconds(1'780'000'000))};
};

// Opens a fresh database for `backend` (empty or migrated) with `options` as the
// base; used by the fixture and by tests that need several databases.
std::unique_ptr<store::Database> OpenTestDatabase(Backend backend, bool migrated,
                                                  const TempDir& dir,
                                                  store::DatabaseOptions options = {});

}  // namespace hcms::testing

#define HCMS_INSTANTIATE_BACKENDS(Suite)                                                         \
  INSTANTIATE_TEST_SUITE_P(                                                                      \
      Backends, Suite,                                                                           \
      ::testing::Values(::hcms::testing::Backend::kSqlite, ::hcms::testing::Backend::kPostgres), \
      [](const ::testing::TestParamInfo<::hcms::testing::Backend>& param_info) {                 \
        return ::hcms::testing::BackendName(param_info.param);                                   \
      })
