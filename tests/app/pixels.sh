#!/bin/bash
# A screenshot shows particles, data and arrows. The flow is paused at frame 0 and the same state
# is rendered four times with one layer switched off each time (data, particles, quiver), so every
# difference comes from that layer:
#  - data: light grey squares -> "bright" pixels vanish without them;
#  - particles: hue by start position -> "colorful" pixels vanish without them;
#  - arrows: the quiver covers the whole view, so the top-left corner (no data, no particles
#    in eight_gaussians with a central init) has drawn pixels only with the quiver on.
source "$(dirname "$0")/common.sh"
cat > "$OUT/pixels.script" <<SCRIPT
0 pause
0 view heat=none
0 view trails=off
0 view grid=off
0 view legend=off
1 screenshot $OUT/px_all.png
2 view quiver=off
3 screenshot $OUT/px_noquiver.png
4 view data=off
5 screenshot $OUT/px_noquiver_nodata.png
6 view data=on
6 view particles=off
7 screenshot $OUT/px_noquiver_noparticles.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --scenario "$SRC/tests/app/pixels.json" --frames 8 --no-panels "${FAST[@]}" \
  --script "$OUT/pixels.script" 2>"$OUT/pixels.log" || { cat "$OUT/pixels.log" >&2; fail "headless run"; }
W=480; H=360; CORNER=(0 0 $((W / 6)) $((H / 6)))
# data and particles are compared with the quiver off (the arrows are coloured and bright too)
b_all=$(stat_of bright "$OUT/px_noquiver.png"); b_nodata=$(stat_of bright "$OUT/px_noquiver_nodata.png")
c_all=$(stat_of colorful "$OUT/px_noquiver.png"); c_nopart=$(stat_of colorful "$OUT/px_noquiver_noparticles.png")
k_all=$(stat_of nonbg "$OUT/px_all.png" "${CORNER[@]}"); k_noq=$(stat_of nonbg "$OUT/px_noquiver.png" "${CORNER[@]}")
echo "bright with/without data: $b_all / $b_nodata"
echo "colorful with/without particles: $c_all / $c_nopart"
echo "corner pixels with/without quiver: $k_all / $k_noq"
expect_gt "$b_all" 300 "data pixels"
expect_gt "$b_all" "$((b_nodata * 3 + 100))" "data layer makes the bright pixels"
expect_gt "$c_all" 300 "particle colour pixels"
expect_gt "$c_all" "$((c_nopart * 3 + 100))" "particle layer makes the coloured pixels"
expect_gt "$k_all" 40 "arrows in the empty corner"
expect_lt "$k_noq" 10 "empty corner without arrows"
