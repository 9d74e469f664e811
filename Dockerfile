# migrate in a container: build on Debian bookworm, run on bookworm-slim with
# only the runtime libraries.
#
#   docker build -t migrate .
#   docker run --rm -v "$PWD:/work" -e DATABASE_URL=postgresql://... migrate upgrade heads
#
# The project (migrate.yaml and the script folder) is mounted at /work, the
# working directory. The image runs as an unprivileged user; for commands
# that write files into the mounted project (init, revision, merge) or a
# SQLite database there, add --user "$(id -u):$(id -g)" so the files belong
# to you. The user is numeric (10001:10001), so Kubernetes' runAsNonRoot
# (the "restricted" profile) accepts the image. For `migrate graph|erd
# --format svg` inside the image, build it with --build-arg WITH_GRAPHVIZ=1
# (Graphviz and its cairo/pango/X11 libraries add tens of MB; every other
# format needs nothing). See docs/ci-cd.md.

# --- build -----------------------------------------------------------------
FROM debian:bookworm-slim AS build
# For apt-get only (an ARG, so it does not stay in the image's environment).
ARG DEBIAN_FRONTEND=noninteractive

# The packages of scripts/install-deps.sh, minus the test-only ones (the
# image is built with BUILD_TESTING=OFF, so Catch2 is not needed).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config \
      libcli11-dev libyaml-cpp-dev libsqlite3-dev libssl-dev libfmt-dev \
      nlohmann-json3-dev libpqxx-dev libpg-query-dev libprotobuf-c-dev \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY CMakeLists.txt ./
COPY src ./src
COPY templates ./templates
COPY helpers ./helpers

# The install prefix is compiled in (where `init` looks for its templates),
# so configure with the prefix the runtime stage uses and stage the install
# with DESTDIR.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr/local \
 && cmake --build build -j"$(nproc)" \
 && DESTDIR=/staging cmake --install build \
 && strip /staging/usr/local/bin/migrate \
 && strip --strip-unneeded /staging/usr/local/lib/migrate/migrate_postgres.so

# --- runtime ---------------------------------------------------------------
FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
ARG WITH_GRAPHVIZ=0

# The packages that hold the libraries the binary needs: libsqlite3.so.0,
# libyaml-cpp.so.0.7, libfmt.so.9, libcrypto.so.3 (libssl3), libstdc++.so.6
# (libpg_query is linked statically); those of the PostgreSQL module
# (lib/migrate/migrate_postgres.so, dlopen'ed for postgresql:// URLs only,
# so they do not show in the binary's readelf -d NEEDED): libpqxx-6.4.so and
# libpq.so.5; ca-certificates for
# sslrootcert=/etc/ssl/certs/ca-certificates.crt; with WITH_GRAPHVIZ=1,
# graphviz, whose `dot` program `migrate graph|erd --format svg` runs.
# `apt-get clean`: without the official base image's docker-clean rule the
# downloaded packages would stay in the layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpqxx-6.4 libpq5 libsqlite3-0 libyaml-cpp0.7 libfmt9 \
      libssl3 libstdc++6 ca-certificates \
      $([ "$WITH_GRAPHVIZ" = 1 ] && echo graphviz) \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

# bin/migrate, lib/migrate/migrate_postgres.so and share/migrate/templates
# (used by `migrate init`).
COPY --from=build /staging/usr/local/ /usr/local/

# A numeric USER: Kubernetes' runAsNonRoot cannot check a name.
RUN useradd --create-home --uid 10001 --user-group migrate
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["migrate"]
CMD ["--help"]
