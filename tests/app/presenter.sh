#!/bin/bash
# Presenter mode (--presenter, P): the caption line and the legend are drawn on the canvas, i.e.
# into the captured frame; and a bare script `screenshot` (as F12) goes to the captures folder,
# $XDG_PICTURES_DIR/driftlab or ~/Pictures/driftlab, created on demand, with a visible error (exit 1
# headless) when it cannot be made.
source "$(dirname "$0")/common.sh"
# panels at 1280x720 leave the canvas between x = 345 and 895 (ui.cpp); the caption sits along its
# bottom above the tick labels, the legend above the caption at the left
CAPTION=(345 590 895 660)
LEGEND=(355 505 715 580)
BIG=(--size 1280x720 --view density_n=32 --view quiver_n=16 --preset lesson_blur_mixed --frames 5)
shot() {  # shot NAME ARGS...: a headless run with its last frame in $OUT/NAME.png
  local name="$1"; shift
  "${XVFB[@]}" "$APP" --headless "${BIG[@]}" "$@" --screenshot "$OUT/$name.png" 2>"$OUT/$name.log" ||
    { cat "$OUT/$name.log" >&2; fail "run $name"; }
}
shot plain
shot presenter --presenter
cap_plain=$(stat_of bright "$OUT/plain.png" "${CAPTION[@]}")
cap_pres=$(stat_of bright "$OUT/presenter.png" "${CAPTION[@]}")
leg_plain=$(stat_of bright "$OUT/plain.png" "${LEGEND[@]}")
leg_pres=$(stat_of bright "$OUT/presenter.png" "${LEGEND[@]}")
echo "caption region: $cap_pres bright pixels with --presenter, $cap_plain without"
echo "legend region: $leg_pres bright pixels with --presenter, $leg_plain without"
expect_gt "$cap_pres" 1200 "presenter: caption text in the frame"
expect_gt "$cap_pres" "$((5 * cap_plain + 200))" "presenter: the caption adds bright text"
expect_gt "$leg_pres" 800 "presenter: legend in the frame"
expect_gt "$leg_pres" "$((5 * leg_plain + 200))" "presenter: the legend adds bright text"
# the same through a view setting, as a script's `view presenter=on` would do
shot viewkey --view presenter=on
# (above the status bar, whose rates differ from run to run)
expect_lt "$(stat_of differ --diff "$OUT/presenter.png" "$OUT/viewkey.png" 0 0 1280 680)" 0.001 "--view presenter=on = --presenter"

# captures folder: a bare `screenshot` goes to $XDG_PICTURES_DIR/driftlab, made on demand
printf '2 screenshot\n' >"$OUT/bare.script"
rm -rf "$OUT/pics" "$OUT/home"
XDG_PICTURES_DIR="$OUT/pics" "${XVFB[@]}" "$APP" --headless "${BIG[@]}" --presenter --script "$OUT/bare.script" \
  2>"$OUT/bare.log" || { cat "$OUT/bare.log" >&2; fail "bare screenshot into XDG_PICTURES_DIR"; }
n=$(find "$OUT/pics/driftlab" -name 'driftlab-*.png' 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || { cat "$OUT/bare.log" >&2; fail "expected 1 PNG in $OUT/pics/driftlab (got $n)"; }
grep -q "screenshot saved to $OUT/pics/driftlab/driftlab-" "$OUT/bare.log" || fail "the full path is not named"
echo "bare screenshot: $(find "$OUT/pics/driftlab" -name '*.png')"
# without the variable: ~/Pictures/driftlab
env -u XDG_PICTURES_DIR HOME="$OUT/home" "${XVFB[@]}" "$APP" --headless "${BIG[@]}" --script "$OUT/bare.script" \
  2>"$OUT/home.log" || { cat "$OUT/home.log" >&2; fail "bare screenshot into ~/Pictures"; }
n=$(find "$OUT/home/Pictures/driftlab" -name 'driftlab-*.png' 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || { cat "$OUT/home.log" >&2; fail "expected 1 PNG in ~/Pictures/driftlab (got $n)"; }
# a folder that cannot be made: exit 1 and one line naming it and the reason, no crash
: >"$OUT/blocker"
XDG_PICTURES_DIR="$OUT/blocker" "${XVFB[@]}" "$APP" --headless "${BIG[@]}" --script "$OUT/bare.script" \
  2>"$OUT/blocked.log"
rc=$?
[ $rc -eq 1 ] || { cat "$OUT/blocked.log" >&2; fail "unusable captures folder: exit $rc, expected 1"; }
grep -q "captures folder $OUT/blocker/driftlab: " "$OUT/blocked.log" ||
  { cat "$OUT/blocked.log" >&2; fail "unusable captures folder: not named"; }
echo "unusable folder: $(grep captures "$OUT/blocked.log")"
echo "presenter: ok"
