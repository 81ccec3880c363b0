#!/bin/bash
# Canvas tools through the script's "click X Y" (the same code path as a mouse click):
#  - DropBlob adds particles around the click: particle pixels appear where there were none;
#  - Probe shows the field read-out box next to the clicked point;
#  - Pick marks the nearest particle.
# The flow is paused, so every change between screenshots comes from the tool.
source "$(dirname "$0")/common.sh"
cat > "$OUT/tools.script" <<SCRIPT
0 pause
0 view heat=none
0 view trails=off
0 view grid=off
0 view quiver=off
0 view data=off
0 view legend=off
1 screenshot $OUT/tools_before.png
2 view tool=blob
2 click 1.6 1.2
4 screenshot $OUT/tools_blob.png
5 view tool=probe
5 click -1.2 -1.2
6 screenshot $OUT/tools_probe.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --scenario "$SRC/tests/app/pixels.json" --frames 7 --no-panels "${FAST[@]}" \
  --script "$OUT/tools.script" 2>"$OUT/tools.log" || { cat "$OUT/tools.log" >&2; fail "headless run"; }
c0=$(stat_of colorful "$OUT/tools_before.png"); c1=$(stat_of colorful "$OUT/tools_blob.png")
d_blob=$(stat_of differ --diff "$OUT/tools_before.png" "$OUT/tools_blob.png")
d_probe=$(stat_of differ --diff "$OUT/tools_blob.png" "$OUT/tools_probe.png")
echo "particle pixels before/after the blob: $c0 / $c1 (changed fraction $d_blob); probe box changed $d_probe"
expect_gt "$c1" "$((c0 + 200))" "blob of particles"
expect_gt "$d_probe" 0.005 "probe read-out drawn"

# A probe at a huge but finite position (3e38, 1e37) must not crash ImGui's drawing: the read-out
# box is kept on screen instead.
cat > "$OUT/tools_far.script" <<SCRIPT
0 pause
0 view heat=none
0 view trails=off
0 view grid=off
0 view quiver=off
0 view data=off
0 view legend=off
1 view tool=probe
1 click 0 3e38
2 click 1e37 1e37
3 click -1e37 -3e38
4 screenshot $OUT/tools_far_probe.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --scenario "$SRC/tests/app/pixels.json" --frames 5 --no-panels "${FAST[@]}" \
  --script "$OUT/tools_far.script" 2>"$OUT/tools_far.log" || { cat "$OUT/tools_far.log" >&2; fail "headless run with a probe at 3e38"; }
d_far=$(stat_of differ --diff "$OUT/tools_before.png" "$OUT/tools_far_probe.png")
echo "far probe: read-out drawn, changed fraction $d_far"
expect_gt "$d_far" 0.0005 "far probe read-out drawn on screen"
