#!/bin/bash
# A/B fork and timeline from a script (script.hpp: fork, focus, both, seek, resume; README "Fork
# and rewind"): eight Gaussians, a fork at frame 60, B switches to the Laplacian kernel, both run
# side by side, the timeline goes back to step 70 and the view redraws it exactly, then both sides
# branch from there with a smaller bandwidth; everything recorded as one MP4. Checked with pixel
# statistics against the same script without B's change: side A's pane is identical (B's change
# does not touch A), side B's pane differs; the seek redraws the frame of step 70 pixel for pixel.
source "$(dirname "$0")/common.sh"
W=480; H=360
LEFT=(4 40 236 356); RIGHT=(244 40 476 356)   # the panes below their labels (--no-panels: halves)
script() {  # script CHANGE NAME: the A/B script with B's change line (none when CHANGE is empty)
  cat <<SCRIPT
0 view trails=off
60 fork
${1:+60 $1}
69 screenshot $OUT/$2_step70.png
99 screenshot $OUT/$2_step100.png
121 seek 70
121 screenshot $OUT/$2_seek70.png
130 both on
130 set bandwidth.h=0.05
131 resume
159 screenshot $OUT/$2_branch.png
SCRIPT
}
run() {  # run NAME CHANGE
  script "$2" "$1" > "$OUT/$1.script"
  "${XVFB[@]}" "$APP" --headless --preset default --no-panels --size ${W}x${H} --view density_n=32 \
    --view quiver_n=16 --frames 160 --script "$OUT/$1.script" --record "$OUT/$1.mp4" 2>"$OUT/$1.log" ||
    { cat "$OUT/$1.log" >&2; fail "headless A/B run $1"; }
}
run ab "set kernel=laplacian"
run same ""
grep -q "forked at step 60" "$OUT/ab.log" || fail "no fork message: $(cat "$OUT/ab.log")"
grep -q "recorded 160 frames" "$OUT/ab.log" || fail "the recording does not hold 160 frames: $(cat "$OUT/ab.log")"

# side A does not see B's change; side B does
a100=$(stat_of differ --diff "$OUT/ab_step100.png" "$OUT/same_step100.png" "${LEFT[@]}")
b100=$(stat_of differ --diff "$OUT/ab_step100.png" "$OUT/same_step100.png" "${RIGHT[@]}")
echo "step 100, B on the Laplacian kernel vs B unchanged: pane A differs in $a100, pane B in $b100 of its pixels"
expect_lt "$a100" 0.0001 "pane A unchanged by B's kernel switch"
expect_gt "$b100" 0.01 "pane B shows the Laplacian kernel's flow"

# the seek back to step 70 redraws what step 70 showed the first time (both panes)
s_all=$(stat_of differ --diff "$OUT/ab_seek70.png" "$OUT/ab_step70.png" 0 40 $W $H)
echo "seek to step 70 vs the first time at step 70: $s_all of the pixels differ"
expect_lt "$s_all" 0.0001 "seek redraws step 70 exactly"

# the branch with h = 0.05 on both sides differs from the recorded future of each side
br=$(stat_of differ --diff "$OUT/ab_branch.png" "$OUT/same_branch.png" "${LEFT[@]}")
echo "after the branch (frame 159): pane A vs the unchanged script's pane A: $br (both branched identically)"
expect_lt "$br" 0.0001 "pane A's branch does not depend on B"
nb=$(stat_of nonbg "$OUT/ab_branch.png" "${RIGHT[@]}")
expect_gt "$nb" 2000 "pane B drawn after the branch"

# the window: B forks the running flow (the answer comes from A's worker between two steps, the
# render thread never waits for it); the split view draws two framed panes with their labels
interactive_shot single "--preset default --size 1280x720 --view heat=none" sleep:1
interactive_shot forked "--preset default --size 1280x720 --view heat=none" key:b sleep:1.5
# the B pane's label strip at the top of the right half of the canvas (x 620 .. 895 at 1280x720)
label_single=$(stat_of bright "$OUT/single.png" 625 2 890 36)
label_forked=$(stat_of bright "$OUT/forked.png" 625 2 890 36)
echo "bright pixels where B's label goes: $label_forked after the key B, $label_single without"
expect_gt "$label_forked" "$((label_single + 300))" "key B forks: pane B and its label appear"

# script errors: a focus without a fork exits 2 naming the line
printf '0 focus B\n' > "$OUT/bad.script"
"${XVFB[@]}" "$APP" --headless --preset default --frames 2 --script "$OUT/bad.script" 2>"$OUT/bad.err"
rc=$?
[ $rc -eq 2 ] || fail "focus without a fork: exit $rc, expected 2"
grep -q "line 1: focus: there is no fork" "$OUT/bad.err" || fail "focus without a fork: $(cat "$OUT/bad.err")"
printf '0 seek -3\n' > "$OUT/bad2.script"
"${XVFB[@]}" "$APP" --headless --preset default --frames 2 --script "$OUT/bad2.script" 2>"$OUT/bad2.err"
[ $? -eq 2 ] || fail "seek -3: expected exit 2"
grep -q "seek: expected a step number >= 0" "$OUT/bad2.err" || fail "seek -3: $(cat "$OUT/bad2.err")"
echo "fork test OK"
