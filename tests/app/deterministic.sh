#!/bin/bash
# Headless runs are frame-exact and reproducible: the same scenario and script, run twice, give
# bit-identical frames (each frame advances exactly --steps-per-frame steps and its fields are
# computed at that state; panels are hidden because they show wall-clock rates).
source "$(dirname "$0")/common.sh"
printf '4 set kernel=laplacian\n7 set weights.chi2=0\n' > "$OUT/det.script"
for i in 1 2; do
  "${XVFB[@]}" "$APP" --headless --scenario "$SRC/tests/app/pixels.json" --frames 10 --steps-per-frame 2 --no-panels \
    "${FAST[@]}" --script "$OUT/det.script" --screenshot "$OUT/det_$i.png" 2>"$OUT/det_$i.log" \
    || { cat "$OUT/det_$i.log" >&2; fail "run $i"; }
done
a=$(md5sum < "$OUT/det_1.png"); b=$(md5sum < "$OUT/det_2.png")
echo "run 1: $a"; echo "run 2: $b"
[ "$a" = "$b" ] || fail "two identical headless runs differ ($("$STATS" --diff "$OUT/det_1.png" "$OUT/det_2.png" | tail -1))"
