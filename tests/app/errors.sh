#!/bin/bash
# Bad inputs give exit code 2 and one clear line on stderr, never a crash.
source "$(dirname "$0")/common.sh"
check() {  # name, then the command
  local name="$1"; shift
  "$@" >"$OUT/err_$name.out" 2>"$OUT/err_$name.err"
  local rc=$?
  [ $rc -eq 2 ] || fail "$name: exit $rc, expected 2 ($(cat "$OUT/err_$name.err"))"
  [ "$(wc -l < "$OUT/err_$name.err")" -eq 1 ] || fail "$name: expected one stderr line, got: $(cat "$OUT/err_$name.err")"
  grep -q '^driftlab: ' "$OUT/err_$name.err" || fail "$name: message does not start with 'driftlab: '"
  echo "$name: $(cat "$OUT/err_$name.err")"
}
printf '{ "data": { "dataset": "eight_gaussians", ' > "$OUT/broken.json"
printf '{ "bandwidth": { "h": -0.1 } }' > "$OUT/bad_value.json"
check broken_json "${XVFB[@]}" "$APP" --headless --scenario "$OUT/broken.json" --frames 2
check bad_value "${XVFB[@]}" "$APP" --headless --scenario "$OUT/bad_value.json" --frames 2
check missing_file "${XVFB[@]}" "$APP" --headless --scenario "$OUT/does_not_exist.json" --frames 2
check unknown_preset "${XVFB[@]}" "$APP" --headless --preset no_such_preset --frames 2
check bad_view "${XVFB[@]}" "$APP" --headless --preset default --frames 2 --view heat=rainbow
check bad_size "${XVFB[@]}" "$APP" --headless --preset default --frames 2 --size 12x7
check no_display env -u DISPLAY -u WAYLAND_DISPLAY "$APP" --preset default
grep -q "no display (DISPLAY is not set)" "$OUT/err_no_display.err" || fail "no_display message"
