# Shared helpers of the app tests (sourced). Arguments of every test: APP STATS OUT SRC.
set -u
APP="$1"; STATS="$2"; OUT="$3"; SRC="$4"
mkdir -p "$OUT"
# -a searches a free display from -n upwards; starting at a per-process number instead of 99 keeps
# concurrent xvfb-run users (parallel ctest, other jobs on the machine) from racing for :99
XVFB=(xvfb-run -a -n $((100 + $$ % 800)) -s "-screen 0 1280x720x24")
fail() { echo "FAIL: $*" >&2; exit 1; }
# value of key in driftlab_png_stats output
stat_of() { "$STATS" "${@:2}" | sed -n "s/^$1=//p"; }
# integer comparison with a message
expect_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }' || fail "$3: $1 is not > $2"; }
expect_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' || fail "$3: $1 is not < $2"; }
# small, fast rendering settings shared by the tests (2 cores, llvmpipe)
FAST=(--size 480x360 --view density_n=32 --view quiver_n=16)
