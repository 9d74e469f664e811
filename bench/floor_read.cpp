// bench/floor_read.cpp: the floor of any tool that reads every revision file
// on each run: list DIR, then open, read and close each file, single-threaded,
// parsing nothing.  bench/run.sh times it next to `migrate heads` so that the
// 30 ms target can be read against what the kernel alone costs on the machine.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: floor_read DIR\n");
    return 2;
  }
  DIR* dir = opendir(argv[1]);
  if (!dir) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<std::string> names;
  while (const dirent* e = readdir(dir))
    if (e->d_name[0] != '.') names.emplace_back(e->d_name);
  char buf[16384];
  size_t bytes = 0;
  for (const auto& name : names) {
    int fd = openat(dirfd(dir), name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) bytes += size_t(n);
    close(fd);
  }
  closedir(dir);
  std::printf("%zu files, %zu bytes\n", names.size(), bytes);
  return 0;
}
