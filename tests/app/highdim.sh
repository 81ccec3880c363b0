#!/bin/bash
# Data of dimension d > 2 in the app (render/view_projection.hpp): the 64-D digits open from a
# scenario and from --data FILE.npy, are drawn in the PCA plane (and in two coordinates and a random
# plane), the edit tools do nothing instead of failing, and a 2-D run switches to digits mid-run.
source "$(dirname "$0")/common.sh"
CLI="$(dirname "$APP")/driftlab-cli"
SMALL=(--no-panels --size 480x360)
"$CLI" run --set dataset=digits --set samples=500 --set particles=500 --set bandwidth=median --steps 0 \
  --save-scenario "$OUT/digits.json" >/dev/null || fail "driftlab-cli could not write the digits scenario"

# the scenario: 10 frames, PCA view, colour by nearest class mean, particle arrows
"${XVFB[@]}" "$APP" --headless --scenario "$OUT/digits.json" --frames 10 "${SMALL[@]}" --view coloring=mode \
  --view particle_arrows=on --screenshot "$OUT/pca.png" 2>"$OUT/pca.log" || { cat "$OUT/pca.log" >&2; fail "digits scenario"; }
expect_gt "$(stat_of nonbg "$OUT/pca.png")" 1500 "digits, PCA view: drawn pixels"
expect_gt "$(stat_of colorful "$OUT/pca.png")" 300 "digits, PCA view: coloured particles"

# --data FILE.npy, in two coordinates and in a random plane
"$CLI" sample --dataset digits --n 300 --seed 1 --out "$OUT/digits.npy" || fail "driftlab-cli sample"
for view in "projection=coords --view proj_a=20 --view proj_b=36" "projection=random --view proj_seed=3"; do
  # shellcheck disable=SC2086
  "${XVFB[@]}" "$APP" --headless --data "$OUT/digits.npy" --set particles=300 --set bandwidth=median --frames 5 \
    "${SMALL[@]}" --view $view --screenshot "$OUT/view.png" 2>"$OUT/view.log" || { cat "$OUT/view.log" >&2; fail "--data, view $view"; }
  expect_gt "$(stat_of nonbg "$OUT/view.png")" 1000 "--data, view $view: drawn pixels"
done

# a 2-D preset switched to digits mid-run; brush and blob clicks on a 64-D run are ignored
cat > "$OUT/switch.txt" <<'SCRIPT'
3 set dataset=digits
4 set bandwidth=median
6 view tool=brush
7 click 0 0
8 view tool=blob
9 click 0.5 0.5
SCRIPT
"${XVFB[@]}" "$APP" --headless --preset default --set samples=400 --set particles=400 --frames 14 "${SMALL[@]}" \
  --script "$OUT/switch.txt" --screenshot "$OUT/switch.png" 2>"$OUT/switch.log" || { cat "$OUT/switch.log" >&2; fail "switch to digits"; }
expect_gt "$(stat_of nonbg "$OUT/switch.png")" 1000 "switched to digits: drawn pixels"

# a points file with class labels (--labels): the class means are the modes, so "nearest mode"
# colours the particles by class; without labels the file has no modes to colour by
awk 'BEGIN { srand(1); print "x,y,z"; for (i = 0; i < 300; i++) { c = i % 3;
  printf "%.4f,%.4f,%.4f\n", 2 * (c - 1) + 0.3 * rand(), (c == 1 ? 1.5 : 0) + 0.3 * rand(), 0.3 * rand() } }' >"$OUT/labelled.csv"
awk 'BEGIN { print "label"; for (i = 0; i < 300; i++) print i % 3 }' >"$OUT/labels.txt"
for labels in with without; do
  extra=(); [ $labels = with ] && extra=(--labels "$OUT/labels.txt")
  "${XVFB[@]}" "$APP" --headless --data "$OUT/labelled.csv" "${extra[@]}" --set particles=300 --set bandwidth=median \
    --frames 5 "${SMALL[@]}" --view coloring=mode --screenshot "$OUT/labels_$labels.png" 2>"$OUT/labels_$labels.log" ||
    { cat "$OUT/labels_$labels.log" >&2; fail "--data with labels: $labels"; }
done
# with labels: three class colours (and their trail shades); without: start-position colours
with_colours=$(stat_of distinct "$OUT/labels_with.png")
without_colours=$(stat_of distinct "$OUT/labels_without.png")
echo "labelled points, nearest-mode colours: $with_colours distinct colours with labels, $without_colours without"
expect_lt "$with_colours" 400 "--labels: particles in their class colours"
expect_gt "$without_colours" $((2 * with_colours)) "--labels: without labels, start-position colours"
# one label too few: exit 2 and one line naming the file
head -n 300 "$OUT/labels.txt" >"$OUT/short_labels.txt"
"${XVFB[@]}" "$APP" --headless --data "$OUT/labelled.csv" --labels "$OUT/short_labels.txt" --frames 1 2>"$OUT/short.log"
[ $? -eq 2 ] || fail "--labels with a label missing: expected exit 2"
grep -q "short_labels.txt: 299 labels for 300 points" "$OUT/short.log" || fail "--labels with a label missing: $(cat "$OUT/short.log")"

# a missing --data file is bad input: exit 2 and one line
"${XVFB[@]}" "$APP" --headless --data "$OUT/missing.npy" --frames 1 2>"$OUT/missing.log"
[ $? -eq 2 ] || fail "--data with a missing file: expected exit 2"
grep -q "missing.npy" "$OUT/missing.log" || fail "--data with a missing file: no message naming it"
echo "d > 2: ok"
