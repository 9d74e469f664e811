// bench/pg_proxy.cpp: a TCP proxy that delays every chunk it forwards by a
// fixed time, to measure `migrate` against its peers over a slow network
// (bench/pg_run.sh). Built by pg_run.sh with g++ directly.
//
//   pg_proxy UPSTREAM_HOST UPSTREAM_PORT DELAY_MS [STATS_FILE]
//
// Listens on 127.0.0.1 on a free port and prints that port on stdout (one
// line), then forwards each accepted connection to UPSTREAM until killed.
// Every chunk read from one side is written to the other DELAY_MS after it
// was read — one-way delay, so a request/reply round trip costs 2 × DELAY_MS
// more than on loopback. Chunks keep their order; a chunk read while earlier
// ones are still waiting is not delayed further (each has its own deadline,
// as on a real link, rather than one delay after another).
//
// With STATS_FILE, one line is appended per closed connection:
//   c2s_chunks=N c2s_bytes=N s2c_chunks=N s2c_bytes=N
// The number of client-to-server chunks counts the client's round trips: a
// client that waits for a reply before sending again sends one chunk per
// round trip.
//
// Per connection, each direction has a reader thread (read, stamp, queue)
// and a writer thread (wait for the deadline, write). Nothing clever: the
// benchmark opens a handful of connections.

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
  Clock::time_point due;
  std::vector<char> bytes;  // empty: the source closed (EOF or error)
};

// One direction of one connection: src -> dst.
struct Direction {
  int src = -1;
  int dst = -1;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Chunk> queue;
  std::atomic<long> chunks{0};
  std::atomic<long> bytes{0};
};

std::chrono::microseconds g_delay{0};
std::string g_stats_path;
std::mutex g_stats_mu;

void set_nodelay(int fd) {
  int one = 1;
  // Without it, Nagle's algorithm would hold back small writes and add its
  // own, uncontrolled delay.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void reader(Direction* d) {
  std::vector<char> buf(64 * 1024);
  for (;;) {
    ssize_t n = read(d->src, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    Chunk c;
    c.due = Clock::now() + g_delay;
    if (n > 0) {
      c.bytes.assign(buf.data(), buf.data() + n);
      d->chunks++;
      d->bytes += n;
    }
    {
      std::lock_guard<std::mutex> lock(d->mu);
      d->queue.push_back(std::move(c));
    }
    d->cv.notify_one();
    if (n <= 0) return;
  }
}

bool write_all(int fd, const std::vector<char>& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

void writer(Direction* d) {
  for (;;) {
    Chunk c;
    {
      std::unique_lock<std::mutex> lock(d->mu);
      d->cv.wait(lock, [d] { return !d->queue.empty(); });
      c = std::move(d->queue.front());
      d->queue.pop_front();
    }
    std::this_thread::sleep_until(c.due);
    if (c.bytes.empty() || !write_all(d->dst, c.bytes)) {
      // Pass the close on; on a failed write also stop reading this side.
      shutdown(d->dst, SHUT_WR);
      if (!c.bytes.empty()) shutdown(d->src, SHUT_RD);
      return;
    }
  }
}

void serve(int client, int server) {
  Direction up, down;
  up.src = client;
  up.dst = server;
  down.src = server;
  down.dst = client;
  std::thread t[] = {std::thread(reader, &up), std::thread(writer, &up), std::thread(reader, &down),
                     std::thread(writer, &down)};
  for (auto& th : t) th.join();
  close(client);
  close(server);
  if (!g_stats_path.empty()) {
    std::lock_guard<std::mutex> lock(g_stats_mu);
    if (FILE* f = std::fopen(g_stats_path.c_str(), "a")) {
      std::fprintf(f, "c2s_chunks=%ld c2s_bytes=%ld s2c_chunks=%ld s2c_bytes=%ld\n",
                   up.chunks.load(), up.bytes.load(), down.chunks.load(), down.bytes.load());
      std::fclose(f);
    }
  }
}

int connect_upstream(const char* host, const char* port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "pg_proxy: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: pg_proxy UPSTREAM_HOST UPSTREAM_PORT DELAY_MS [STATS_FILE]\n");
    return 2;
  }
  const char* host = argv[1];
  const char* port = argv[2];
  g_delay = std::chrono::microseconds(static_cast<long>(std::atof(argv[3]) * 1000));
  if (argc == 5) g_stats_path = argv[4];
  signal(SIGPIPE, SIG_IGN);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) die("socket");
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("bind");
  if (listen(lfd, 64) != 0) die("listen");
  socklen_t len = sizeof addr;
  if (getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) die("getsockname");
  std::printf("%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  for (;;) {
    int client = accept(lfd, nullptr, nullptr);
    if (client < 0) {
      if (errno == EINTR) continue;
      die("accept");
    }
    int server = connect_upstream(host, port);
    if (server < 0) {
      std::fprintf(stderr, "pg_proxy: cannot connect to %s:%s: %s\n", host, port,
                   std::strerror(errno));
      close(client);
      continue;
    }
    set_nodelay(client);
    set_nodelay(server);
    std::thread(serve, client, server).detach();
  }
}
