#!/bin/bash
# The Images window (app/ui/image_grid_panel.cpp): image-like data (the 64-D digits, 8x8 pixels)
# open it by itself and draw particles and data as grayscale images; the nearest-data-image overlay
# marks copies in red; --image WxH gives other data a shape and must fit d (exit 2 otherwise); a
# 2-D run leaves the window closed.
source "$(dirname "$0")/common.sh"
CLI="$(dirname "$APP")/driftlab-cli"
# panels at 1280x720: the Images window opens between the Controls and Plots columns
# (ui.cpp: x from 0.27 W + 8 to W - 0.3 W - 8, y from 8 to 568); its body below the title bar
WIN=(356 30 886 566)
BIG=(--size 1280x720 --view density_n=32 --view quiver_n=16)
"$CLI" run --set dataset=digits --set samples=500 --set particles=500 --set bandwidth=median --steps 0 \
  --save-scenario "$OUT/digits.json" >/dev/null || fail "driftlab-cli could not write the digits scenario"
shot() {  # shot NAME ARGS...: a headless run of a few frames with its screenshot in $OUT/NAME.png
  local name="$1"; shift
  "${XVFB[@]}" "$APP" --headless --frames 3 "${BIG[@]}" "$@" --screenshot "$OUT/$name.png" 2>"$OUT/$name.log" ||
    { cat "$OUT/$name.log" >&2; fail "run $name"; }
}

# digits: the window opens by itself; with it closed (images=off) the same region shows the canvas
shot on --scenario "$OUT/digits.json"
shot off --scenario "$OUT/digits.json" --view images=off
bright_on=$(stat_of bright "$OUT/on.png" "${WIN[@]}")
bright_off=$(stat_of bright "$OUT/off.png" "${WIN[@]}")
echo "digits: grey/white pixels in the Images window region: $bright_on (window closed: $bright_off)"
expect_gt "$bright_on" 8000 "digits: grey image pixels in the Images window"
expect_gt "$bright_on" "$((5 * bright_off))" "digits: the window adds image pixels over the canvas"
expect_gt "$(stat_of differ --diff "$OUT/on.png" "$OUT/off.png" "${WIN[@]}")" 0.15 "digits: the window changes the region"

# the nearest-data-image overlay adds a data image under each particle image
shot nearest --scenario "$OUT/digits.json" --view image_nearest=on
bright_nn=$(stat_of bright "$OUT/nearest.png" "${WIN[@]}")
echo "digits, nearest data image: $bright_nn grey/white pixels"
expect_gt "$bright_nn" "$((bright_on + 4000))" "digits: nearest data images under the particles"

# --data FILE.npy with --image 8x8: particles started on the data are copies (red boxes); particles
# from a Gaussian are not (class frames off: red comes from the copy marks only)
"$CLI" sample --dataset digits --n 300 --seed 1 --out "$OUT/digits.npy" || fail "driftlab-cli sample"
COPY=(--data "$OUT/digits.npy" --set particles=300 --set bandwidth=median --image 8x8 --view image_nearest=on
      --view image_classes=off)
shot copies "${COPY[@]}" --set init="$OUT/digits.npy"
shot fresh "${COPY[@]}"
red_copies=$(stat_of colorful "$OUT/copies.png" "${WIN[@]}")
red_fresh=$(stat_of colorful "$OUT/fresh.png" "${WIN[@]}")
echo "copies marked: $red_copies saturated pixels (particles started on the data) vs $red_fresh (Gaussian start)"
expect_gt "$red_copies" 10000 "--image 8x8: copies of the data are marked"
expect_lt "$red_fresh" 2000 "--image 8x8: a Gaussian start has no copies"
expect_gt "$(stat_of bright "$OUT/fresh.png" "${WIN[@]}")" 8000 "--image 8x8: images drawn"

# a 2-D run leaves the window closed
shot flat --preset default
shot flat_off --preset default --view images=off
# above the status bar, whose frames/s and steps/s depend on the machine's timing
expect_lt "$(stat_of differ --diff "$OUT/flat.png" "$OUT/flat_off.png" 0 0 1280 700)" 0.001 "2-D preset: the Images window stays closed"

# --image must fit d: exit 2 and one line naming the shape
for bad in "--data $OUT/digits.npy --set particles=300 --image 7x7" "--preset default --image 8x8" "--preset default --image 8"; do
  # shellcheck disable=SC2086
  "${XVFB[@]}" "$APP" --headless --frames 1 $bad 2>"$OUT/bad.log"
  rc=$?
  [ $rc -eq 2 ] || fail "$bad: expected exit 2 (got $rc)"
  [ "$(wc -l <"$OUT/bad.log")" -eq 1 ] || { cat "$OUT/bad.log" >&2; fail "$bad: expected one line on stderr"; }
  shape=${bad##* }
  grep -q -- "--image.*$shape" "$OUT/bad.log" || { cat "$OUT/bad.log" >&2; fail "$bad: no message naming --image $shape"; }
done
echo "images: ok"
