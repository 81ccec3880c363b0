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
check record_from_reset_alone "${XVFB[@]}" "$APP" --preset default --record-from-reset
grep -q "needs --record" "$OUT/err_record_from_reset_alone.err" || fail "record_from_reset_alone message"
check no_display env -u DISPLAY -u WAYLAND_DISPLAY "$APP" --preset default
grep -q "no display (DISPLAY is not set)" "$OUT/err_no_display.err" || fail "no_display message"
# a scenario whose data or init CSV is missing or malformed: the engine reads it when the run starts,
# after the window opened; one line naming the scenario and the CSV file, headless and in the window
printf '{ "data": { "dataset": "csv", "csv": "%s" } }' "$OUT/no_such_data.csv" > "$OUT/missing_csv.json"
printf 'x,y\n0.5,abc\n' > "$OUT/malformed.csv"
printf '{ "init": { "layout": "csv", "csv": "%s" } }' "$OUT/malformed.csv" > "$OUT/malformed_init.json"
printf '{ "kind": "generator", "data": { "dataset": "csv", "csv": "%s" }, "generator": { "batch": 64 } }' \
  "$OUT/no_such_data.csv" > "$OUT/missing_csv_generator.json"
check missing_csv "${XVFB[@]}" "$APP" --headless --scenario "$OUT/missing_csv.json" --frames 2
grep -q "missing_csv.json: .*no_such_data.csv: cannot open file" "$OUT/err_missing_csv.err" || fail "missing_csv: names the files"
check missing_csv_window "${XVFB[@]}" "$APP" --scenario "$OUT/missing_csv.json" --frames 2
grep -q "missing_csv.json: .*no_such_data.csv: cannot open file" "$OUT/err_missing_csv_window.err" ||
  fail "missing_csv_window: names the files"
# in the window a bad start still exits 2 with the line, but the window opens on the default preset
# and says why in red at the top of the Controls panel (its screenshot is written)
rm -f "$OUT/bad_start_window.png"
check bad_start_window "${XVFB[@]}" "$APP" --scenario "$OUT/does_not_exist.json" --frames 3 --screenshot "$OUT/bad_start_window.png"
[ -s "$OUT/bad_start_window.png" ] || fail "bad start in the window: the window did not open (no screenshot)"
red=$(stat_of reddish "$OUT/bad_start_window.png" 0 20 340 70)
echo "bad start in the window: the window opened, $red red pixels of the error at the top of the Controls panel"
expect_gt "$red" 200 "bad start in the window: the error is shown in the window"
check malformed_init "${XVFB[@]}" "$APP" --headless --scenario "$OUT/malformed_init.json" --frames 2
grep -q "malformed_init.json: .*malformed.csv:2:2: not a number: 'abc'" "$OUT/err_malformed_init.err" ||
  fail "malformed_init: names the files, line and column"
check missing_csv_generator "${XVFB[@]}" "$APP" --headless --scenario "$OUT/missing_csv_generator.json" --frames 2
grep -q "missing_csv_generator.json: .*no_such_data.csv: cannot open file" "$OUT/err_missing_csv_generator.err" ||
  fail "missing_csv_generator: names the files"

# a script's screenshot that cannot be written, and a screenshot after the last frame, fail the
# run with exit code 1 and say why (both once exited 0, the picture silently missing)
printf '1 screenshot %s\n' "$OUT/malformed.csv/shot.png" > "$OUT/shot_unwritable.script"
"${XVFB[@]}" "$APP" --headless --preset default --frames 3 "${FAST[@]}" --script "$OUT/shot_unwritable.script" \
  >/dev/null 2>"$OUT/shot_unwritable.err"
rc=$?
[ $rc -eq 1 ] || fail "unwritable script screenshot: exit $rc, expected 1 ($(cat "$OUT/shot_unwritable.err"))"
grep -q "malformed.csv/shot.png" "$OUT/shot_unwritable.err" || fail "unwritable script screenshot: path not named"
printf '1 pause\n9 screenshot %s\n' "$OUT/late.png" > "$OUT/shot_late.script"
"${XVFB[@]}" "$APP" --headless --preset default --frames 3 "${FAST[@]}" --script "$OUT/shot_late.script" \
  >/dev/null 2>"$OUT/shot_late.err"
rc=$?
[ $rc -eq 1 ] || fail "screenshot after the last frame: exit $rc, expected 1 ($(cat "$OUT/shot_late.err"))"
grep -q "script line 2: frame 9 is after the last frame (2): 'screenshot' not run" "$OUT/shot_late.err" ||
  fail "screenshot after the last frame: not named ($(cat "$OUT/shot_late.err"))"
echo "script screenshot failures: exit 1, named"
