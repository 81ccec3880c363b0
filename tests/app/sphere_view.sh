#!/bin/bash
# A flow on S^2 (geometry=sphere, d = 3) in the app's 3-D sphere view (render/sphere_view.hpp):
# the lit sphere and the coloured particles are drawn, a scripted drag rotates the picture and
# `fit` (the F key) brings back the north-up view, brush and blob clicks do nothing instead of
# failing, a heat map and the quiver field are drawn on the surface, a click probes the field at a
# sphere point or picks a particle, and switching the run to the plane brings back the 2-D projection.
source "$(dirname "$0")/common.sh"
SMALL=(--no-panels --size 480x360)
# the 480x360 canvas frames the sphere at its centre (240, 180), radius 0.40 x 360 = 144 pixels;
# the square inside the disc and a corner far outside it
DISC=(140 80 340 280)
CORNER=(0 0 60 60)

cat > "$OUT/script.txt" <<SCRIPT
59 pause
60 screenshot $OUT/before.png
61 drag 150 -120
62 screenshot $OUT/dragged.png
63 fit
64 screenshot $OUT/reset.png
65 view tool=brush
66 click 0 0
67 view tool=blob
68 click 0.5 0.5
69 resume
71 screenshot $OUT/sphere.png
72 set geometry=euclidean
76 screenshot $OUT/plane.png
SCRIPT
"${XVFB[@]}" "$APP" --headless --preset sphere_caps_from_collapsed --frames 77 "${SMALL[@]}" --script "$OUT/script.txt" \
  2>"$OUT/run.log" || { cat "$OUT/run.log" >&2; fail "sphere preset with the script"; }

# the sphere fills the disc (the lit side is far from the background), the corner stays empty
disc=$(stat_of nonbg "$OUT/before.png" "${DISC[@]}")
corner=$(stat_of nonbg "$OUT/before.png" "${CORNER[@]}")
echo "sphere view: nonbg $disc of 40000 in the disc, $corner of 3600 in the corner"
expect_gt "$disc" 22000 "sphere view: drawn pixels inside the sphere's disc"
expect_lt "$corner" 50 "sphere view: drawn pixels in the corner outside the sphere"
# the particles flowing off the north cap in their start-position colours, the data as grey squares
colorful=$(stat_of colorful "$OUT/before.png")
bright=$(stat_of bright "$OUT/before.png")
echo "sphere view: colorful $colorful, bright $bright"
expect_gt "$colorful" 150 "sphere view: coloured particles"
expect_gt "$bright" 300 "sphere view: data points and grid"

# a drag turns the globe; fit (F) is north up at the default distance again (the run is paused)
dragged=$("$STATS" --diff "$OUT/before.png" "$OUT/dragged.png" | sed -n 's/^differ=//p')
reset=$("$STATS" --diff "$OUT/before.png" "$OUT/reset.png" | sed -n 's/^differ=//p')
echo "sphere view: drag changes $dragged of the pixels, fit leaves $reset different"
expect_gt "$dragged" 0.03 "sphere view: a drag rotates the picture"
expect_lt "$reset" 0.005 "sphere view: fit restores the north-up view"

# brush and blob clicks were ignored: the run went on and the view is still the sphere
expect_gt "$(stat_of nonbg "$OUT/sphere.png" "${DISC[@]}")" 22000 "sphere view after brush and blob clicks"
# back on the plane: the 2-D projection, no sphere filling the disc
plane=$(stat_of nonbg "$OUT/plane.png" "${DISC[@]}")
echo "plane after the switch: nonbg $plane of 40000 in the disc"
expect_lt "$plane" 12000 "geometry=euclidean: the sphere is gone"
expect_gt "$plane" 300 "geometry=euclidean: the projected points are drawn"
# a geometry switch says in the status bar that data and particles were placed anew (the text at
# the right end of the bar; measured 634 bright pixels there with the switch, 0 without)
printf '5 set geometry=euclidean\n' >"$OUT/switch.txt"
for run in switch still; do
  script=(); [ $run = switch ] && script=(--script "$OUT/switch.txt")
  "${XVFB[@]}" "$APP" --headless --preset sphere_caps_from_collapsed --frames 10 "${script[@]}" \
    --screenshot "$OUT/status_$run.png" 2>"$OUT/status.log" || { cat "$OUT/status.log" >&2; fail "status run $run"; }
done
said=$(stat_of bright "$OUT/status_switch.png" 930 698 1280 720)
quiet=$(stat_of bright "$OUT/status_still.png" 930 698 1280 720)
echo "geometry switch: $said bright status-bar pixels at its right end, $quiet without the switch"
expect_gt "$said" $((quiet + 300)) "a geometry switch is said in the status bar"

# heat maps painted on the surface: log q (the particles' KDE, normalized over the sphere) colours
# the disc; with only the sphere drawn and no heat map it stays grey-blue
BARE=(--view particles=off --view data=off --view particle_arrows=off --view trails=off --view quiver=off)
for heat in none logq; do
  "${XVFB[@]}" "$APP" --headless --preset sphere_caps_from_collapsed --frames 20 "${SMALL[@]}" "${BARE[@]}" \
    --view heat=$heat --screenshot "$OUT/heat_$heat.png" 2>"$OUT/heat.log" || { cat "$OUT/heat.log" >&2; fail "heat=$heat"; }
done
# (viridis greens and yellows over the surface: measured mean green 109 vs 45, blue 80 vs 62)
green_on=$(stat_of mean_g "$OUT/heat_logq.png" "${DISC[@]}")
green_off=$(stat_of mean_g "$OUT/heat_none.png" "${DISC[@]}")
blue_off=$(stat_of mean_b "$OUT/heat_none.png" "${DISC[@]}")
echo "sphere heat map: mean green $green_on in the disc with log q, $green_off without (blue $blue_off)"
expect_gt "$green_on" "$(awk -v g="$green_off" 'BEGIN { print 1.8 * g }')" "sphere view: the heat map is painted on the sphere"
expect_gt "$blue_off" "$green_off" "sphere view: the bare sphere is blue-grey"

# the quiver field: tangent arrows on a longitude x latitude grid over the bare sphere
"${XVFB[@]}" "$APP" --headless --preset sphere_caps_from_collapsed --frames 20 "${SMALL[@]}" "${BARE[@]}" \
  --view heat=none --view quiver=on --screenshot "$OUT/quiver.png" 2>"$OUT/quiver.log" || { cat "$OUT/quiver.log" >&2; fail "quiver"; }
# (the same run with the quiver off is heat_none.png; measured: 0.0063 of the pixels differ)
arrows=$("$STATS" --diff "$OUT/quiver.png" "$OUT/heat_none.png" | sed -n 's/^differ=//p')
echo "sphere quiver: $arrows of the pixels differ from the bare sphere"
expect_gt "$arrows" 0.003 "sphere view: the quiver field is drawn"

# the window: the bandwidth as a geodesic circle around the sphere point under the cursor (real X
# input, tests/app/xinput.py); only the sphere and the circle drawn
ONLY=(--size 1280x720 --view particles=off --view data=off --view particle_arrows=off --view trails=off
  --view quiver=off --view heat=none)
interactive_shot circle_on "--preset sphere_caps_from_collapsed ${ONLY[*]}" move:620,360 sleep:1
interactive_shot circle_off "--preset sphere_caps_from_collapsed ${ONLY[*]} --view circle=off" move:620,360 sleep:1
on=$(stat_of bright "$OUT/circle_on.png" 400 120 840 600)
off=$(stat_of bright "$OUT/circle_off.png" 400 120 840 600)
echo "cursor over the sphere: $on bright pixels with the geodesic bandwidth circle, $off without"
expect_gt "$on" "$((off + 500))" "the geodesic bandwidth circle is drawn under the cursor"
# the probe and pick tools on the sphere, against one run without a click: a probe click (no drag)
# at a sphere point shows a marker, the tangent velocity as a magenta arrow and the read-out
# (measured: 1519 coloured pixels around it, 0 without); a pick click at the north cap rings the
# nearest particle in yellow with its path (73 coloured pixels there, 12 without)
PICK=(--size 1280x720 --view particle_arrows=off --view trails=off --view quiver=off --view heat=none --view circle=off)
interactive_shot no_click "--preset sphere_caps_from_collapsed ${PICK[*]}" move:621,131 sleep:2.3 move:900,700 sleep:0.3
interactive_shot probe_on "--preset sphere_caps_from_collapsed ${PICK[*]} --view tool=probe" move:560,420 sleep:0.3 \
  click:1 sleep:1 move:900,700 sleep:0.3
interactive_shot pick_on "--preset sphere_caps_from_collapsed ${PICK[*]} --view tool=pick" move:621,131 sleep:0.3 \
  click:1 sleep:2 move:900,700 sleep:0.3
probed=$(stat_of colorful "$OUT/probe_on.png" 540 400 900 520)
unprobed=$(stat_of colorful "$OUT/no_click.png" 540 400 900 520)
echo "sphere probe: $probed coloured pixels around the clicked point, $unprobed without a click"
expect_gt "$probed" $((unprobed + 500)) "a click with the probe tool probes the sphere"
picked=$(stat_of colorful "$OUT/pick_on.png" 560 100 700 260)
unpicked=$(stat_of colorful "$OUT/no_click.png" 560 100 700 260)
echo "sphere pick: $picked coloured pixels around the clicked cap, $unpicked without a click"
expect_gt "$picked" $((unpicked + 30)) "a click with the pick tool rings a particle on the sphere"
echo "sphere view: ok"
