#!/bin/bash
# A scripted mid-run change of the kernel changes the drawn field: paused flow, only the quiver is
# drawn (log-length arrows, so magnitudes count), screenshots before and after "set kernel=laplacian".
# Also: a bad script line exits with code 2 and names the line.
source "$(dirname "$0")/common.sh"
cat > "$OUT/change.script" <<SCRIPT
# freeze the particles so only the field can change
0 pause
0 view particles=off
0 view data=off
0 view trails=off
0 view heat=none
0 view arrows=log
0 view legend=off
0 view grid=off
1 screenshot $OUT/field_before.png
2 set kernel=laplacian
4 screenshot $OUT/field_after.png
5 set kernel=gaussian
7 screenshot $OUT/field_back.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --scenario "$SRC/tests/app/pixels.json" --frames 8 --no-panels "${FAST[@]}" \
  --script "$OUT/change.script" 2>"$OUT/change.log" || { cat "$OUT/change.log" >&2; fail "headless run"; }
d=$(stat_of differ --diff "$OUT/field_before.png" "$OUT/field_after.png")
d_back=$(stat_of differ --diff "$OUT/field_before.png" "$OUT/field_back.png")
echo "quiver pixels changed by the kernel switch: $d (after switching back: $d_back)"
expect_gt "$d" 0.01 "field change after set kernel=laplacian"
expect_lt "$d_back" 0.002 "switching back restores the same field"

printf '0 pause\n10 set kernal=laplacian\n' > "$OUT/bad.script"
"${XVFB[@]}" "$APP" --headless --preset default --frames 2 --script "$OUT/bad.script" 2>"$OUT/bad_script.err"
rc=$?
[ $rc -eq 2 ] || fail "bad script: exit $rc, expected 2"
grep -q "line 2" "$OUT/bad_script.err" || fail "bad script message does not name line 2: $(cat "$OUT/bad_script.err")"
[ "$(wc -l < "$OUT/bad_script.err")" -eq 1 ] || fail "bad script: expected one line, got: $(cat "$OUT/bad_script.err")"
echo "bad script: $(cat "$OUT/bad_script.err")"
