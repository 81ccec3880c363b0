#!/bin/bash
# The Equations window (E): it opens on the key, shows the formula of the field in force and, after a
# click with the probe tool, the values of its terms there. A --script drives the headless loop,
# which reads no keyboard, so this test runs the app in its window under Xvfb and gives it real X
# input (tests/app/xinput.py, XTest through ctypes): a probe click, E, then F12, whose screenshot lands
# in $XDG_PICTURES_DIR/driftlab. Three runs: click + E, E alone, click alone; the canvas is emptied
# (no heat map, quiver, points, grid) so that the bright pixels of the window's area are its text.
source "$(dirname "$0")/common.sh"
# the window's first-use place at 1280x720 (ui.cpp): over the canvas between the columns, x 354 .. 890,
# its bottom above the status bar; the probe read-out sits next to the click, high up on the canvas
AREA=(356 300 888 690)
EMPTY=(--view heat=none --view quiver=off --view particles=off --view data=off --view trails=off
       --view grid=off --view circle=off --view legend=off)
run() {  # run NAME XINPUT-STEPS...
  local name="$1"; shift
  interactive_shot "$name" "--preset default --size 1280x720 ${EMPTY[*]}" "$@"
}
run both move:620,150 click:1 sleep:0.5 key:e
run window key:e
run probe move:620,150 click:1
both=$(stat_of bright "$OUT/both.png" "${AREA[@]}")
window=$(stat_of bright "$OUT/window.png" "${AREA[@]}")
probe=$(stat_of bright "$OUT/probe.png" "${AREA[@]}")
echo "bright pixels in the Equations area: $both with probe + E, $window with E alone, $probe with the probe alone"
expect_gt "$window" "$((probe + 1500))" "E opens the Equations window with the formula"
expect_gt "$both" "$((window + 1500))" "with a probe point the window adds the terms' values"
echo "equations: ok"
