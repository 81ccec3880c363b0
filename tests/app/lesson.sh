#!/bin/bash
# Guided lessons (app/lesson.hpp, assets/lessons): --lesson renders a lesson headless to a video,
# ending one second after its last beat without --frames; its captions are in the frames (the box
# along the bottom of the canvas); a lesson name that does not exist exits 2 with one line.
source "$(dirname "$0")/common.sh"
W=640; H=400
# the caption box: the bottom band of the canvas (--no-panels: the whole width)
CAPTION=(20 250 620 380)
rm -rf "$OUT/frames"
"${XVFB[@]}" "$APP" --headless --lesson forward_kl_is_mean_shift --no-panels --size ${W}x${H} --fps 10 \
  --view density_n=16 --view quiver_n=12 --png-dir "$OUT/frames" 2>"$OUT/lesson.log" ||
  { cat "$OUT/lesson.log" >&2; fail "headless lesson"; }
frames=$(ls "$OUT/frames" | wc -l)
echo "forward_kl_is_mean_shift rendered to $frames frames at 10 frames/s: $(tail -1 "$OUT/lesson.log")"
# six beats: a hold, the fork, the user's change on B, 60 steps (2 per frame), two holds; then one second
expect_gt "$frames" 80 "the lesson plays all its beats"
expect_lt "$frames" 400 "the lesson ends by itself"
first=$(ls "$OUT/frames" | head -1); last=$(ls "$OUT/frames" | tail -1)
cap=$(stat_of bright "$OUT/frames/$first" "${CAPTION[@]}")
echo "bright (caption text) pixels in the caption band of the first frame: $cap"
expect_gt "$cap" 1500 "the caption is drawn into the frame"
# the last beat draws the field as two terms at true length: the mean shift (red, weight 1) under
# forward KL weighted h^2 (blue). Every red arrow is covered: no red pixel on the canvas (the
# legend's red swatch at the top right and the caption box at the bottom left out), blue arrows there
red=$(( $(stat_of reddish "$OUT/frames/$last" 0 30 300 250) + $(stat_of reddish "$OUT/frames/$last" 300 100 640 250) ))
blue=$(( $(stat_of colorful "$OUT/frames/$last" 0 30 300 250) + $(stat_of colorful "$OUT/frames/$last" 300 100 640 250) ))
echo "last frame, drift (red) under forward KL x h^2 (blue): $red red pixels, $blue coloured pixels"
expect_lt "$red" 10 "the h^2-weighted forward-KL arrows cover the mean-shift arrows"
expect_gt "$blue" 1000 "the arrows are drawn"
# the same view with the mean shift alone: its red arrows show (the check above can fail)
printf '0 pause\n0 set weights=drift=1\n0 view split=terms\n0 view arrows=true\n0 view particles=off\n0 view heat=none\n' \
  > "$OUT/drift.script"
"${XVFB[@]}" "$APP" --headless --preset far_init --no-panels --size ${W}x${H} --view density_n=16 --view quiver_n=12 \
  --frames 3 --script "$OUT/drift.script" --screenshot "$OUT/drift.png" 2>"$OUT/drift.log" ||
  { cat "$OUT/drift.log" >&2; fail "drift alone"; }
red_alone=$(( $(stat_of reddish "$OUT/drift.png" 0 30 300 250) + $(stat_of reddish "$OUT/drift.png" 300 100 640 250) ))
echo "the mean shift alone in the same view: $red_alone red pixels"
expect_gt "$red_alone" 1000 "the mean-shift arrows are red when nothing covers them"
grep -q "steps/s\|rendered" "$OUT/lesson.log" || fail "no summary line"

"${XVFB[@]}" "$APP" --headless --lesson no_such_lesson --frames 2 2>"$OUT/bad.err"
rc=$?
[ $rc -eq 2 ] || fail "unknown lesson: exit $rc, expected 2"
grep -q "lesson no_such_lesson: not a built-in lesson" "$OUT/bad.err" || fail "unknown lesson: $(cat "$OUT/bad.err")"
[ "$(wc -l < "$OUT/bad.err")" -eq 1 ] || fail "unknown lesson: expected one line, got: $(cat "$OUT/bad.err")"
echo "lesson test OK"
