// bench/backfill_writer: a single-row writer for bench/backfill_pg.sh. Until
// SIGTERM or SIGINT it runs, in autocommit, one statement at a time
//   UPDATE t SET old = old + 0 WHERE id = <random id in 1..ROWS>
// and times each, pausing PAUSE_MS (default 5: an application's pace, about
// 200 writes/s, not a load generator competing for the CPU) between them; then prints one JSON line: how many, and the latency's
// max, p99 and p50 in ms. How long an application's one-row write can wait
// behind a backfill's batch (or behind one big UPDATE).
//
//   backfill_writer CONNINFO ROWS [PAUSE_MS]
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {
volatile std::sig_atomic_t stop = 0;
void on_signal(int) { stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: backfill_writer CONNINFO ROWS [PAUSE_MS]\n");
    return 2;
  }
  const long long rows = std::stoll(argv[2]);
  const int pause_ms = argc > 3 ? std::stoi(argv[3]) : 5;
  PGconn* conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "backfill_writer: %s", PQerrorMessage(conn));
    return 1;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<long long> pick(1, rows);
  std::vector<double> ms;
  long long errors = 0;
  const std::string sql = "UPDATE t SET old = old + 0 WHERE id = $1";
  while (!stop) {
    const std::string id = std::to_string(pick(rng));
    const char* params[1] = {id.c_str()};
    const auto t0 = std::chrono::steady_clock::now();
    PGresult* r = PQexecParams(conn, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
    const auto t1 = std::chrono::steady_clock::now();
    if (PQresultStatus(r) != PGRES_COMMAND_OK) ++errors;
    PQclear(r);
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  }
  PQfinish(conn);
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  std::printf("{\"writes\": %zu, \"errors\": %lld, \"max_ms\": %.3f, \"p99_ms\": %.3f, \"p50_ms\": %.3f}\n",
              ms.size(), errors, ms.empty() ? 0.0 : ms.back(), at(0.99), at(0.5));
  return 0;
}
