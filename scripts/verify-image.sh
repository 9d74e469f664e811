#!/usr/bin/env bash
# Builds and runs migrate's Dockerfile with podman on a Debian bookworm VM
# that reaches Debian's package archive but no container registry, as root.
#
#   bash scripts/verify-image.sh [REPO] [WORKDIR]   # defaults: . and a fresh temp dir
#
# (The workplace's tools/verify-docker.sh, kept here so the image check
# travels with the Dockerfile; its libpq check follows the PostgreSQL
# module: migrate dlopen()s lib/migrate/migrate_postgres.so, which needs
# libpqxx and libpq, for postgresql:// URLs only. It also checks the numeric
# USER that Kubernetes' runAsNonRoot needs.)
#
# The repository is only read (git archive HEAD). Needs: root, apt reaching
# the Debian archive, PostgreSQL 15 server binaries for the last checks
# (postgresql package; scripts/pg-server.sh starts a private server).
# Exit status: 0 when the build and every check passed.
set -euo pipefail
REPO=$(cd "${1:-.}" && pwd)
W=${2:-$(mktemp -d "${TMPDIR:-/tmp}/verify-docker.XXXXXX")}
# the Debian mirror this machine's apt already uses
MIRROR=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1)
[ -n "$MIRROR" ] || MIRROR=$(grep -h -m1 -E '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -1)
[ -n "$MIRROR" ] || { echo "verify-docker: no Debian mirror found in apt's sources" >&2; exit 1; }
IMAGE=migrate:0.1.0
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
say() { printf '\n== %s\n' "$*"; }

say "packages: podman (its build is buildah's), runc, debootstrap"
apt-get update -qq
apt-get install -y -qq --no-install-recommends podman runc debootstrap >/dev/null
podman --version; runc --version | head -1

say "work copy of $REPO at $(git -C "$REPO" rev-parse --short HEAD)"
rm -rf "$W"; mkdir -p "$W/src"
git -C "$REPO" archive HEAD | tar -x -C "$W/src"

say "stand-in for debian:bookworm-slim: debootstrap minbase, slimmed like the official image"
R=$W/rootfs
debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$W/debootstrap.log" 2>&1 \
  || { tail -20 "$W/debootstrap.log"; exit 1; }
rm -f "$R/etc/apt/sources.list"
cat >"$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR}-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
printf 'path-exclude /usr/share/%s/*\n' doc groff info linda lintian/overrides locale man \
  >"$R/etc/dpkg/dpkg.cfg.d/docker"
echo 'path-include /usr/share/doc/*/copyright' >>"$R/etc/dpkg/dpkg.cfg.d/docker"
# The official image's apt settings (debuerreotype's minimizing config): the
# Dockerfile's "rm -rf /var/lib/apt/lists/*" relies on docker-clean to drop
# the downloaded .debs and pkgcache.bin; without it the image is ~87 MB larger.
cat >"$R/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' >"$R/etc/apt/apt.conf.d/docker-no-languages"
find "$R/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
rm -rf "$R"/usr/share/{man,info,locale,groff}/* "$R"/var/lib/apt/lists/* \
       "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb
tar -C "$R" --numeric-owner -cf "$W/rootfs.tar" .
podman rmi -f "$IMAGE" docker.io/library/debian:bookworm-slim >/dev/null 2>&1 || true
podman import --quiet --change 'CMD ["bash"]' "$W/rootfs.tar" docker.io/library/debian:bookworm-slim >/dev/null

# This VM: no CAP_SYS_RESOURCE, so a container's rlimits cannot exceed the
# hard limits podman itself runs under (podman's default nofile=1048576
# fails: "crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted"; podman
# lowers its own nproc to kernel.pid_max); and cgroup v1+v2 hybrid, which
# crun 1.8.1 refuses ("cgroups in hybrid mode not supported"), runc does not.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu); pidmax=$(cat /proc/sys/kernel/pid_max)
[[ $nproc == unlimited || $nproc -gt $pidmax ]] && nproc=$pidmax
P=(--runtime runc --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
m() { podman run --rm "${P[@]}" "$@"; }

say "podman build (${P[*]})"
tb=$(date +%s)
(cd "$W/src" && podman build "${P[@]}" -t "$IMAGE" .) >"$W/build.log" 2>&1 \
  || { tail -40 "$W/build.log"; echo "BUILD FAILED (full log: $W/build.log)"; exit 1; }
build_s=$(( $(date +%s) - tb ))
grep -E '^\[[12]/2\] STEP|MIGRATE_LAZY_LIBPQ' "$W/build.log"
podman images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E 'migrate|debian'
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')

fails=0
check() {  # check NAME command...: runs it, prints PASS/FAIL
  local name=$1; shift
  if out=$("$@" 2>&1); then echo "PASS  $name"; else echo "FAIL  $name"; fails=$((fails+1)); fi
  sed 's/^/      /' <<<"$out" | tail -n 12
}
say "checks"
c_init() {
  mkdir "$W/init"; chown 1000:1000 "$W/init"
  m --user 1000:1000 -v "$W/init:/work" "$IMAGE" init migrations &&
    test -f "$W/init/migrate.yaml" -a -d "$W/init/migrations/versions"
}
c_sqlite() {
  cp -R "$W/src/sample_project" "$W/sqlite"; chown -R 1000:1000 "$W/sqlite"
  m --user 1000:1000 -v "$W/sqlite:/work" "$IMAGE" upgrade heads &&
    m --user 1000:1000 -v "$W/sqlite:/work" "$IMAGE" current --check-heads
}
c_ldd() {
  local o; o=$(m --entrypoint ldd "$IMAGE" /usr/local/bin/migrate) || return 1
  echo "$o"; ! grep -q 'not found' <<<"$o"
}
pg() { m --network host -v "$W/src/sample_project:/work:ro" -e DATABASE_URL="$MIGRATE_TEST_PG_URL" "$IMAGE" "$@"; }
c_pg() { pg upgrade heads && pg current --check-heads; }
c_dlopen() {  # the PostgreSQL module (and with it libpq) is loaded for a postgresql:// URL only
  local p s
  p=$(m --network host -v "$W/src/sample_project:/work:ro" -e DATABASE_URL="$MIGRATE_TEST_PG_URL" \
        -e LD_DEBUG=files "$IMAGE" current 2>&1) || return 1
  s=$(m --user 1000:1000 -v "$W/sqlite:/work" -e LD_DEBUG=files "$IMAGE" current 2>&1) || return 1
  grep -E 'file=/usr/local/lib/migrate/migrate_postgres.so .*dynamically loaded by migrate' <<<"$p" &&
    grep -E 'file=libpq.so.5 ' <<<"$p" | head -1 && ! grep -q 'libpq\|migrate_postgres' <<<"$s"
}
c_user() {  # numeric, so that Kubernetes' runAsNonRoot can check it
  local u; u=$(podman image inspect "$IMAGE" --format '{{.Config.User}}'); echo "USER $u"
  [[ $u =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]
}
check "--version" m "$IMAGE" --version
check "USER is numeric and not root" c_user
check "init in a mounted empty dir (--user 1000:1000)" c_init
check "sample_project: upgrade heads on SQLite" c_sqlite
check "ldd in the image: nothing missing" c_ldd

say "PostgreSQL on the host (scripts/pg-server.sh), reached with --network host"
eval "$(cd "$REPO" && scripts/pg-server.sh start)"
trap 'cd "$REPO" && scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
check "sample_project: upgrade heads on PostgreSQL (read-only mount, image user)" c_pg
check "libpq.so.5 dlopen'ed for postgresql:// only" c_dlopen

say "summary"
echo "image $IMAGE: $size bytes; build ${build_s}s; whole run $(( $(date +%s) - t0 ))s; failed checks: $fails"
exit $(( fails > 0 ))
