# Sourced by tsan_check.sh and asan_check.sh: the repository root, the sanitizer build folder
# (first argument or the default, relative to the root), the parallel job count and the CMake
# generator to configure a new folder with (an existing folder keeps its own).
# Sets: root, dir, jobs, generator (array).
sanitizer_build_dir() {  # sanitizer_build_dir DEFAULT_FOLDER [FOLDER]
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="${2:-$1}"
  case "$dir" in
    /*) ;;
    *) dir="$root/$dir" ;;
  esac
  jobs="${DRIFTLAB_JOBS:-$(nproc)}"
  generator=()
  if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
  if [[ -f "$dir/CMakeCache.txt" ]]; then generator=(); fi
}
