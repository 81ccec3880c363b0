#!/bin/bash
# Generator mode: the app starts on a generator preset, trains it headless for 20 frames
# and renders a PNG that is not blank (samples, data and the quiver drawn); the panels show
# generator mode. An unknown generator preset is refused in one line with exit code 2.
source "$(dirname "$0")/common.sh"
"${XVFB[@]}" "$APP" --headless --generator-preset gen_checkerboard --frames 20 "${FAST[@]}" \
  --screenshot "$OUT/generator.png" 2>"$OUT/generator.log" || { cat "$OUT/generator.log" >&2; fail "generator run exited $?"; }
[ -s "$OUT/generator.png" ] || fail "no screenshot written"
grep -q "engine step 20" "$OUT/generator.log" || { cat "$OUT/generator.log" >&2; fail "the generator did not train 20 steps"; }
nonbg=$(stat_of nonbg "$OUT/generator.png")
expect_gt "$nonbg" 1000 "generator frame: drawn pixels"
echo "generator frame: ok ($nonbg drawn pixels)"
# --preset with a generator preset's name starts generator mode too (no particle preset has that
# name, so a run that starts at all started it)
"${XVFB[@]}" "$APP" --headless --preset gen_eight_gaussians_mixed --frames 3 --no-panels "${FAST[@]}" \
  --screenshot "$OUT/generator_by_preset.png" 2>"$OUT/generator_by_preset.log" || { cat "$OUT/generator_by_preset.log" >&2; fail "--preset with a generator preset"; }
[ -s "$OUT/generator_by_preset.png" ] || fail "--preset with a generator preset: no screenshot"
# canvas only, a script with generator keys (2-D latent: the latent grid is drawn): still draws
printf '0 set latent=2\n0 set widths=32,32\n1 set kernel=gaussian\n' > "$OUT/gen_script.txt"
"${XVFB[@]}" "$APP" --headless --generator-preset gen_eight_gaussians_mixed --frames 3 --no-panels "${FAST[@]}" \
  --script "$OUT/gen_script.txt" --screenshot "$OUT/generator_canvas.png" 2>"$OUT/generator_canvas.log" || { cat "$OUT/generator_canvas.log" >&2; fail "canvas run"; }
nonbg=$(stat_of nonbg "$OUT/generator_canvas.png")
expect_gt "$nonbg" 300 "generator canvas: drawn pixels"
echo "generator canvas: ok ($nonbg drawn pixels)"
# deterministic: two identical headless runs with a mid-run change give the same frame
printf '2 set kernel=gaussian\n3 set lr=0.002\n' > "$OUT/gen_change.txt"
for i in 1 2; do
  "${XVFB[@]}" "$APP" --headless --generator-preset gen_checkerboard --frames 5 --no-panels "${FAST[@]}" \
    --script "$OUT/gen_change.txt" --screenshot "$OUT/gen_det_$i.png" 2>"$OUT/gen_det_$i.log" || fail "determinism run $i"
done
cmp -s "$OUT/gen_det_1.png" "$OUT/gen_det_2.png" || fail "two identical generator runs gave different frames"
echo "generator determinism: ok"
# bad input: one line, exit 2

"${XVFB[@]}" "$APP" --headless --generator-preset no_such_generator --frames 1 2>"$OUT/bad.log"
rc=$?

[ "$rc" = 2 ] || fail "unknown generator preset: exit $rc, expected 2"
[ "$(wc -l < "$OUT/bad.log")" -le 2 ] || fail "unknown generator preset: more than one line of error"
grep -q "no_such_generator" "$OUT/bad.log" || fail "the error does not name the preset"
echo "bad generator preset: refused (exit 2)"
