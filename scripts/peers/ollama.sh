#!/usr/bin/env bash
# Builds (or reuses) a CPU Ollama from its Go module, pinned, cached outside the repository so a
# clean clone does not rebuild it every run. Prints the binary's path on stdout.
#
#   scripts/peers/ollama.sh            build if missing, print the path
#   scripts/peers/ollama.sh --path     only if it is already built: link and print it (exit 1 if not)
#
# Environment: CONFAB_PEERS_CACHE (default ~/.cache/confab), CONFAB_OLLAMA_VERSION (default the
# pinned version below). Tests find the binary through the `current` link below, or
# CONFAB_OLLAMA_BIN.
set -euo pipefail

version="${CONFAB_OLLAMA_VERSION:-v0.17.4}"
cache="${CONFAB_PEERS_CACHE:-$HOME/.cache/confab}"
# ggml picks its SIMD code (AVX2, FMA, F16C, AVX-512) at compile time, and a baseline x86-64
# build runs the benchmark's model about 10x slower, so the build targets the highest x86-64
# microarchitecture level this CPU supports. A named level, not -march=native: native also turns
# on whatever else the CPU has, and on CPUs with AMX that defines __AMX_INT8__, so ggml's CPU
# backend references an AMX buffer type whose source the cgo build does not compile and the link
# fails. A level enables only the instruction sets it names, so the binary runs on every CPU of
# that level; the level is part of the cache path, so a cache carried to a lesser CPU is never
# reused there. CONFAB_OLLAMA_MARCH overrides the choice (e.g. x86-64-v3).
cpu_level() {
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
  has_all() {
    local f
    for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done
  }
  if [ "$(uname -m)" != x86_64 ]; then
    echo generic
  elif has_all avx512f avx512bw avx512cd avx512dq avx512vl avx2 fma f16c bmi1 bmi2 movbe abm; then
    echo x86-64-v4
  elif has_all avx avx2 fma f16c bmi1 bmi2 movbe abm xsave; then
    echo x86-64-v3
  elif has_all cx16 lahf_lm popcnt sse4_1 sse4_2 ssse3; then
    echo x86-64-v2
  else
    echo x86-64
  fi
}
march="${CONFAB_OLLAMA_MARCH:-$(cpu_level)}"
if [ "$march" = generic ]; then
  cflags="-O3"
else
  cflags="-O3 -march=$march -mtune=generic"
fi
dir="$cache/ollama/$version-$march"
bin="$dir/bin/ollama"

# Tests find the binary through this link (testkit's findOllamaBinary), so the version is
# pinned here only.
link_current() {
  ln -sfn "$bin" "$cache/ollama/current"
  echo "$bin"
}

if [ -x "$bin" ]; then
  link_current
  exit 0
fi
if [ "${1:-}" = "--path" ]; then
  echo "ollama $version is not built yet; run scripts/peers/ollama.sh" >&2
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  echo "ollama peer: Go is needed to build Ollama $version (install Go 1.24 or newer)" >&2
  exit 1
fi

# Go module zips leave out every `vendor/` directory, so the llama.cpp sources inside Ollama's
# module miss the single-header libraries they vendor (nlohmann/json, stb_image, miniaudio) and
# a plain `go install` fails with "nlohmann/json_fwd.hpp: No such file or directory". The first
# two come from Debian's packages, miniaudio from its PyPI source distribution (the header is
# all that is used), kept in the cache beside the binary.
vendor="$cache/ollama/vendor"
if [ ! -f /usr/include/nlohmann/json_fwd.hpp ] || [ ! -f /usr/include/stb/stb_image.h ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ollama peer: install the headers Ollama's module leaves out: apt-get install nlohmann-json3-dev libstb-dev" >&2
    exit 1
  fi
  echo "ollama peer: installing nlohmann-json3-dev and libstb-dev" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nlohmann-json3-dev libstb-dev >&2
fi
if [ ! -f "$vendor/miniaudio/miniaudio.h" ]; then
  echo "ollama peer: fetching the miniaudio header (PyPI sdist of miniaudio 1.71)" >&2
  rm -rf "$vendor.tmp" && mkdir -p "$vendor.tmp"
  python3 -m pip download --quiet --no-binary :all: --no-deps --dest "$vendor.tmp" miniaudio==1.71 >&2
  tar -xzf "$vendor.tmp"/miniaudio-1.71.tar.gz -C "$vendor.tmp" miniaudio-1.71/miniaudio/miniaudio.h
  mkdir -p "$vendor/miniaudio"
  mv "$vendor.tmp/miniaudio-1.71/miniaudio/miniaudio.h" "$vendor/miniaudio/miniaudio.h"
  rm -rf "$vendor.tmp"
fi

# A partial build must never be mistaken for a finished one: build into a temporary GOBIN and
# move the binary into place only when `go install` succeeded.
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "ollama peer: building github.com/ollama/ollama@$version for $march (CPU, cgo; this takes minutes)" >&2
# Ollama's ggml CPU backend is C/C++ compiled through cgo; -ldflags sets the version it reports.
CGO_ENABLED=1 CGO_CPPFLAGS="${CGO_CPPFLAGS:-} -I$vendor" \
  CGO_CFLAGS="$cflags" CGO_CXXFLAGS="$cflags" \
  GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
  go install -ldflags "-X github.com/ollama/ollama/version.Version=${version#v}" \
  "github.com/ollama/ollama@$version" >&2 || {
  echo "ollama peer: building Ollama $version failed at 'go install' (cgo with CGO_CFLAGS='$cflags'," \
    "see the compiler output above). If the compile or link of ggml failed, retry with a lower" \
    "level (CONFAB_OLLAMA_MARCH=x86-64-v2 scripts/peers/ollama.sh); if a download failed, check" \
    "that the Go module proxy is reachable (GOPROXY)." >&2
  exit 1
}
mkdir -p "$dir/bin"
mv "$tmp/ollama" "$bin"
link_current
