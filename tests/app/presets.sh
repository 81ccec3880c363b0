#!/bin/bash
# The app starts on EVERY preset and renders: 1 headless frame each, a PNG that is not blank
# (particles or data drawn: many pixels away from the background).
source "$(dirname "$0")/common.sh"
presets=$("$APP" --list-presets) || fail "--list-presets"
[ -n "$presets" ] || fail "no presets listed"
# one X server, two presets at a time (2 cores), 1 frame each
cat > "$OUT/render_one.sh" <<RUN
#!/bin/bash
"$APP" --headless --preset "\$1" --frames 1 --no-panels --size 320x240 --view density_n=24 --view quiver_n=12 \\
  --screenshot "$OUT/preset_\$1.png" 2>"$OUT/preset_\$1.log" || { echo "preset \$1: exit \$?" >&2; cat "$OUT/preset_\$1.log" >&2; exit 1; }
RUN
printf '%s\n' $presets > "$OUT/presets.txt"
"${XVFB[@]}" xargs -P 2 -n 1 bash "$OUT/render_one.sh" < "$OUT/presets.txt" || fail "a preset did not render"
for p in $presets; do
  nonbg=$(stat_of nonbg "$OUT/preset_$p.png")
  expect_gt "$nonbg" 1000 "preset $p: drawn pixels"
  echo "preset $p: ok ($nonbg drawn pixels)"
done
