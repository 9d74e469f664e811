// Helpers for end-to-end tests that need more than a database from the
// PostgreSQL test server: settings in migrate.yaml, a second session holding
// a table lock, and a TCP proxy (late start, round-trip count).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/pg_fixture.h"

namespace e2e {

// Sets `key: value` lines in the project's migrate.yaml (replacing the
// template's line for a key it already has).
inline void add_config(const e2e::Project& p, const std::string& lines) {
  const std::string path = p.path("migrate.yaml");
  std::string text = testsupport::read_file(path);
  std::istringstream in(lines);
  std::string line;
  while (std::getline(in, line)) {
    const std::string key = line.substr(0, line.find(':') + 1);
    std::size_t at = text.rfind("\n" + key);
    if (at == std::string::npos) {
      text += line + "\n";
    } else {
      std::size_t end = text.find('\n', at + 1);
      text.replace(at + 1, end - at - 1, line);
    }
  }
  testsupport::write_file(path, text);
}

// Another session holding ACCESS EXCLUSIVE on `table` in an open
// transaction, from its own thread. release() commits; so does the
// destructor. With `release_after_waiter`, it commits by itself once a
// session has been seen waiting for a lock for that long.
class LockHolder {
 public:
  LockHolder(const TempPgDatabase& db, const std::string& table,
             std::chrono::milliseconds release_after_waiter = std::chrono::milliseconds(0)) {
    std::promise<void> locked;
    auto ready = locked.get_future();
    thread_ = std::thread(
        [this, url = db.url(), table, release_after_waiter, locked = std::move(locked)]() mutable {
          pqxx::connection c(url);
          pqxx::work tx(c);
          tx.exec("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
          const int pid = tx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
          locked.set_value();
          pqxx::connection watcher(url);
          bool waiter_seen = false;
          auto seen_at = std::chrono::steady_clock::now();
          // Bounded: at most 60 s, whatever happens.
          for (int i = 0; i < 1200 && !release_; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (release_after_waiter.count() == 0) continue;
            if (!waiter_seen) {
              pqxx::nontransaction q(watcher);
              waiter_seen = q.exec(
                                 "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                 "AND datname = current_database() AND pid <> " +
                                 std::to_string(pid) + " LIMIT 1")
                                .size() == 1;
              seen_at = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - seen_at >= release_after_waiter) {
              break;
            }
          }
          tx.commit();
        });
    ready.wait();
  }
  ~LockHolder() { release(); }
  void release() {
    release_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> release_{false};
  std::thread thread_;
};

// A free TCP port on 127.0.0.1 (nothing listens on it once this returns).
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// A TCP proxy on 127.0.0.1:`port` to the test server's `target_port`:
// listens after `delay` (a server that comes up late) and counts the turns
// clients take (sending after hearing from the server), which is the number
// of round trips of a client that waits for each answer before it sends again. Stops on destruction
// (bounded to 60 s in any case).
class TcpProxy {
 public:
  TcpProxy(int port, int target_port,
           std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : thread_([=] { serve(port, target_port, delay); }) {}
  // Waits until the proxy listens.
  void wait_listening() const {
    for (int i = 0; i < 500 && !listening_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  long client_turns() const { return client_turns_; }
  ~TcpProxy() {
    stop_ = true;
    thread_.join();
  }

 private:
  // Forwards between client `a` and server `b` until either closes.
  void pump(int a, int b) {
    char buf[16384];
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    int last_from = -1;
    while (!stop_) {
      if (poll(fds, 2, 100) < 0) break;
      for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0 || write(fds[1 - i].fd, buf, n) != n) return;
        // A client's turn begins when it sends after hearing from the server
        // (a large message arrives in several chunks).
        if (i == 0 && last_from != 0) ++client_turns_;
        last_from = i;
      }
    }
  }
  void serve(int port, int target_port, std::chrono::milliseconds delay) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto start = std::chrono::steady_clock::now() + delay;
    while (!stop_ && std::chrono::steady_clock::now() < start)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(ls, 8) != 0) {
      close(ls);
      return;
    }
    listening_ = true;
    std::vector<std::thread> conns;
    while (!stop_ && std::chrono::steady_clock::now() < end) {
      pollfd pfd{ls, POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0) continue;
      int client = accept(ls, nullptr, nullptr);
      if (client < 0) continue;
      int server = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in t = a;
      t.sin_port = htons(static_cast<uint16_t>(target_port));
      if (connect(server, reinterpret_cast<sockaddr*>(&t), sizeof t) != 0) {
        close(client);
        close(server);
        continue;
      }
      conns.emplace_back([client, server, this] {
        pump(client, server);
        close(client);
        close(server);
      });
    }
    close(ls);
    for (auto& c : conns) c.join();
  }

  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<long> client_turns_{0};
  std::thread thread_;
};

}  // namespace e2e
