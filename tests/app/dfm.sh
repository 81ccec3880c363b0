#!/bin/bash
# Mode dfm in the app (THEORY.md §12.3-§12.4): the sampler's particles with the drift's arrows,
# the bridge's marginal as the heat map and the bridge paths; a script's seek moves the sampler's
# time back and redraws that moment exactly; with the learned drift (trained at the first step)
# the arrows switch between the network's and the oracle's; the mode switch from a drifting run
# to dfm restarts the particles at the source.
source "$(dirname "$0")/common.sh"
SMALL=(--no-panels --size 480x360 --view density_n=32 --view quiver_n=16 --view trails=off)
CANVAS=(0 30 480 360)   # below the time caption

cat > "$OUT/paths.script" <<SCRIPT
39 pause
40 screenshot $OUT/t40.png
41 seek 20
42 screenshot $OUT/seek20.png
43 seek 30
44 screenshot $OUT/seek30_from20.png
45 seek 10
46 seek 30
47 screenshot $OUT/seek30_from10.png
SCRIPT
run() {  # run NAME ARGS...: the oracle preset for 45 frames of one step each
  "${XVFB[@]}" "$APP" --headless --preset dfm_eight_gaussians --set particles=256 --set samples=256 --frames 48 \
    --steps-per-frame 1 "${SMALL[@]}" "${@:2}" 2>"$OUT/$1.log" || { cat "$OUT/$1.log" >&2; fail "headless dfm run $1"; }
}
run paths --script "$OUT/paths.script"
cp "$OUT/t40.png" "$OUT/with_paths.png"
sed -e "s#$OUT/t40.png#$OUT/no_paths.png#" "$OUT/paths.script" | head -2 > "$OUT/nopaths.script"
run nopaths --view bridge=off --script "$OUT/nopaths.script"

# the bridge paths are drawn (and only they differ: same run, same frame)
paths=$(stat_of differ --diff "$OUT/with_paths.png" "$OUT/no_paths.png" "${CANVAS[@]}")
echo "bridge paths on vs off at step 40: $paths of the canvas differs"
expect_gt "$paths" 0.005 "the bridge paths are not drawn"
expect_lt "$paths" 0.25 "bridge paths on/off changed more than the paths"
# t = 0.1 is another picture than t = 0.2, and step 30 reached from step 20 or from step 10 is the
# same picture (up to a pixel of anti-aliasing): the sampler's time is replayed exactly (its noise
# is seeded per step)
moved=$(stat_of differ --diff "$OUT/t40.png" "$OUT/seek20.png" "${CANVAS[@]}")
same=$(stat_of differ --diff "$OUT/seek30_from20.png" "$OUT/seek30_from10.png")
echo "seek: step 20 vs the end differ in $moved; step 30 from 20 vs from 10 in $same"
expect_gt "$moved" 0.01 "seeking to step 20 did not change the picture"
expect_lt "$same" 0.0001 "step 30 reached by two seeks is not one picture"

# the learned drift: its arrows and the oracle's at the same t are different pictures
learned() {  # learned NAME ARROWS
  "${XVFB[@]}" "$APP" --headless --preset dfm_learned --set particles=256 --set samples=256 --set dfm.train_steps=300 \
    --frames 30 --steps-per-frame 1 "${SMALL[@]}" --view particles=off --view data=off --view bridge=off \
    --view dfm_arrows="$2" --screenshot "$OUT/$1.png" 2>"$OUT/$1.log" || { cat "$OUT/$1.log" >&2; fail "learned run $1"; }
}
learned arrows_learned learned
learned arrows_oracle oracle
arrows=$(stat_of differ --diff "$OUT/arrows_learned.png" "$OUT/arrows_oracle.png" "${CANVAS[@]}")
echo "learned vs oracle arrows at step 30: $arrows of the canvas differs"
expect_gt "$arrows" 0.001 "the arrows do not switch between the learned and the oracle drift"

# a drifting run switched to dfm: the particles leave the modes for the source N(0, I) and the
# arrows become the drift at t = 0, b = mean(data) - x (THEORY.md §12.2)
cat > "$OUT/switch.script" <<SCRIPT
28 pause
29 screenshot $OUT/drifting.png
30 set mode=dfm
31 step
32 screenshot $OUT/switched.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --preset default --set particles=256 --set samples=256 --frames 33 "${SMALL[@]}" \
  --script "$OUT/switch.script" 2>"$OUT/switch.log" || { cat "$OUT/switch.log" >&2; fail "mode switch run"; }
switched=$(stat_of differ --diff "$OUT/drifting.png" "$OUT/switched.png" "${CANVAS[@]}")
echo "drifting at step 28 vs one dfm step after set mode=dfm: $switched of the canvas differs"
expect_gt "$switched" 0.05 "set mode=dfm did not change the picture"
echo "dfm: OK"
