#!/usr/bin/env bash
# driftlab quick start: install whatever Debian 12 packages are missing, build, then
#   run   - the desktop app on the default scenario; without a display, a short demo recording
#           made headlessly under Xvfb (its path is printed)
#   test  - the whole test suite (ctest), plus the ThreadSanitizer check and the AddressSanitizer +
#           UndefinedBehaviorSanitizer check (engine, CLI and fuzzer) when they exist
# Idempotent: packages are installed only when one is missing, and an up-to-date build is a
# no-op. Works as root, or as a user with sudo (used only for apt-get).
set -euo pipefail

usage() {
  echo "usage: bash scripts/quickstart.sh <run|test>" >&2
  exit 2
}
[[ $# -eq 1 ]] || usage
mode="$1"
[[ "$mode" == run || "$mode" == test ]] || usage

cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "quickstart: $*"; }

# Debian packages (TOOLCHAIN.md §1, plus libcli11-dev, libfftw3-dev, python3-numpy and libxtst6 for the
# app tests that press keys through XTest, tests/app/xinput.py)
packages=(
  build-essential cmake ninja-build pkg-config
  libimgui-dev libstb-dev libglfw3-dev libepoxy-dev libgl-dev
  libeigen3-dev doctest-dev nlohmann-json3-dev libcli11-dev libfftw3-dev zlib1g-dev
  xvfb xauth mesa-utils ffmpeg python3-numpy python3-sklearn fonts-dejavu-core libxtst6
)

install_missing() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system (no dpkg-query/apt-get): skipping package installation"
    return 0
  fi
  local missing=()
  local p
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "all ${#packages[@]} Debian packages are installed"
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      say "missing packages: ${missing[*]}" >&2
      say "run this script as root (or install sudo) so that they can be installed" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  say "installing ${#missing[@]} missing package(s): ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
  if [[ -f build/CMakeCache.txt && ! -f build/build.ninja ]]; then
    say "build/ was configured with another generator; remove it (rm -rf build) and run again" >&2
    exit 1
  fi
  if [[ ! -f build/build.ninja ]]; then
    say "configuring build/ (Ninja, Release)"
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  say "building (ninja -j2)"
  cmake --build build -j2
}

install_missing
build

case "$mode" in
  run)
    if [[ -n "${DISPLAY:-}" && -x build/bin/driftlab ]]; then
      say "starting the app: build/bin/driftlab --preset default (H shows the keyboard shortcuts)"
      exec build/bin/driftlab --preset default
    fi
    if [[ ! -x build/bin/driftlab ]]; then
      say "the app was not built (DRIFTLAB_BUILD_APP=OFF?): running the default scenario headless instead"
      exec build/bin/driftlab-cli run --preset default
    fi
    out="$PWD/driftlab-demo.mp4"
    say "no display (DISPLAY is not set): recording a 4-second demo of the default preset headlessly under Xvfb instead"
    xvfb-run -a -s "-screen 0 1280x720x24" build/bin/driftlab --headless --preset default --frames 120 \
      --record "$out"
    say "demo recording written to $out"
    ;;
  test)
    say "running the test suite: ctest --test-dir build --output-on-failure -j2"
    ctest --test-dir build --output-on-failure -j2
    if [[ -f scripts/tsan_check.sh ]]; then
      say "running the ThreadSanitizer check: bash scripts/tsan_check.sh build-tsan"
      bash scripts/tsan_check.sh build-tsan
    fi
    if [[ -f scripts/asan_check.sh ]]; then
      say "running the AddressSanitizer + UBSan check: bash scripts/asan_check.sh build-asan"
      bash scripts/asan_check.sh build-asan
    fi
    say "all tests passed"
    ;;
esac
