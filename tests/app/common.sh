# Shared helpers of the app tests (sourced). Arguments of every test: APP STATS OUT SRC.
set -u
APP="$1"; STATS="$2"; OUT="$3"; SRC="$4"
mkdir -p "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }
# One X server per test script, on a display number of its own (derived from the output folder,
# moved on past any display in use), with -noreset: by default the server resets when its last
# client disconnects, and a test that starts one app after another (presets two at a time) now
# and then connected during that reset and got "Failed to open display". Not xvfb-run around every
# command: its clean-up now and then failed a command that had passed (exit 5).
start_xvfb() {
  local base n i
  base=$(( $(printf '%s' "$OUT" | cksum | cut -d' ' -f1) % 500 + 100 ))
  for n in $(seq "$base" $((base + 40))); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 1280x720x24 -nolisten tcp -noreset 2>"$OUT/xvfb.log" &
    XVFB_PID=$!
    for i in $(seq 1 150); do
      [ -S "/tmp/.X11-unix/X$n" ] && break
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$XVFB_PID" 2>/dev/null && [ -S "/tmp/.X11-unix/X$n" ]; then
      trap 'kill $XVFB_PID 2>/dev/null; wait $XVFB_PID 2>/dev/null' EXIT
      export DISPLAY=":$n"
      return
    fi
    kill "$XVFB_PID" 2>/dev/null; wait "$XVFB_PID" 2>/dev/null
  done
  cat "$OUT/xvfb.log" >&2
  fail "Xvfb did not start (apt-get install xvfb)"
}
start_xvfb
# prefix of the commands that need the display: they run on this script's X server
XVFB=(env)
# value of key in driftlab_png_stats output
stat_of() { "$STATS" "${@:2}" | sed -n "s/^$1=//p"; }
# integer comparison with a message
expect_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }' || fail "$3: $1 is not > $2"; }
expect_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' || fail "$3: $1 is not < $2"; }
# small, fast rendering settings shared by the tests (2 cores, llvmpipe)
FAST=(--size 480x360 --view density_n=32 --view quiver_n=16)

# interactive_shot NAME "APP ARGS" XINPUT-STEPS...: the app in its window (not headless) under Xvfb,
# driven by real X input (tests/app/xinput.py: keys and clicks a --script cannot give, since scripts
# drive the headless loop); the steps end with F12, whose screenshot (captures folder,
# $XDG_PICTURES_DIR/driftlab) becomes $OUT/NAME.png. No remembered window layout between runs.
interactive_shot() {
  local name="$1" app_args="$2"; shift 2
  python3 -c 'import ctypes, ctypes.util; ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")' 2>/dev/null ||
    fail "the X input needs python3 and libXtst (apt-get install python3 libxtst6)"
  rm -rf "$OUT/$name.pics" "$OUT/config"
  cat >"$OUT/$name.inner.sh" <<EOF
"$APP" $app_args >"$OUT/$name.log" 2>&1 &
app=\$!
python3 "$SRC/tests/app/xinput.py" window:driftlab sleep:1.5 $* sleep:1 key:F12
rc=\$?
for i in \$(seq 1 100); do ls "$OUT/$name.pics/driftlab/"*.png >/dev/null 2>&1 && break; sleep 0.2; done
sleep 0.5
kill \$app 2>/dev/null; wait \$app 2>/dev/null
exit \$rc
EOF
  XDG_PICTURES_DIR="$OUT/$name.pics" XDG_CONFIG_HOME="$OUT/config" HOME="$OUT/home" "${XVFB[@]}" bash "$OUT/$name.inner.sh" ||
    { cat "$OUT/$name.log" >&2; fail "run $name: X input failed"; }
  local png
  png=$(ls "$OUT/$name.pics/driftlab/"*.png 2>/dev/null | head -1)
  [ -n "$png" ] || { cat "$OUT/$name.log" >&2; fail "run $name: no F12 screenshot"; }
  cp "$png" "$OUT/$name.png"
}
