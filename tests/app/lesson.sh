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
# five beats: a hold, the fork, the user's change on B, 60 steps (2 per frame), a hold; then one second
expect_gt "$frames" 80 "the lesson plays all its beats"
expect_lt "$frames" 400 "the lesson ends by itself"
first=$(ls "$OUT/frames" | head -1); last=$(ls "$OUT/frames" | tail -1)
cap=$(stat_of bright "$OUT/frames/$first" "${CAPTION[@]}")
echo "bright (caption text) pixels in the caption band of the first frame: $cap"
expect_gt "$cap" 1500 "the caption is drawn into the frame"
# the last frame is the fork: A (the Drifting Model) and B (forward KL) each hold the particles
expect_gt "$(stat_of colorful "$OUT/frames/$last" 10 40 310 380)" 200 "particles in pane A of the last frame"
expect_gt "$(stat_of colorful "$OUT/frames/$last" 330 40 630 380)" 200 "particles in pane B of the last frame"
grep -q "steps/s\|rendered" "$OUT/lesson.log" || fail "no summary line"

"${XVFB[@]}" "$APP" --headless --lesson no_such_lesson --frames 2 2>"$OUT/bad.err"
rc=$?
[ $rc -eq 2 ] || fail "unknown lesson: exit $rc, expected 2"
grep -q "lesson no_such_lesson: not a built-in lesson" "$OUT/bad.err" || fail "unknown lesson: $(cat "$OUT/bad.err")"
[ "$(wc -l < "$OUT/bad.err")" -eq 1 ] || fail "unknown lesson: expected one line, got: $(cat "$OUT/bad.err")"
echo "lesson test OK"
