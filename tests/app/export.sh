#!/bin/bash
# Export (the Run panel's button, the script verb `export PATH`): the particles of a flow and the
# samples of a generator in every dimension, .npy read back by NumPy with the right shape, CSV by
# the extension; a path that cannot be written is a message, not a failed run.
source "$(dirname "$0")/common.sh"
# Debian's python3 with python3-numpy (a python3 earlier on PATH may lack NumPy)
printf '3 export %s\n4 export %s\n5 export %s\n' "$OUT/particles.npy" "$OUT/particles.csv" "$OUT/no/such/dir/x.npy" > "$OUT/export.txt"
"${XVFB[@]}" "$APP" --headless --preset default --frames 6 --no-panels "${FAST[@]}" --script "$OUT/export.txt" \
  --screenshot "$OUT/export.png" 2>"$OUT/export.log" || { cat "$OUT/export.log" >&2; fail "export run"; }
shape=$(/usr/bin/python3 -c "import numpy as np; a = np.load('$OUT/particles.npy'); print(a.shape, a.dtype)") || fail "numpy could not read the exported .npy"
[ "$shape" = "(1024, 2) float64" ] || fail "exported .npy: expected (1024, 2) float64, got $shape"
[ "$(head -1 "$OUT/particles.csv")" = "x,y" ] || fail "exported CSV: expected the header x,y"
[ "$(wc -l < "$OUT/particles.csv")" -eq 1025 ] || fail "exported CSV: expected 1024 rows and a header"
grep -q "exported 1024 particles (d = 2" "$OUT/export.log" || { cat "$OUT/export.log" >&2; fail "no 'exported' message"; }
grep -q "export $OUT/no/such/dir/x.npy" "$OUT/export.log" || { cat "$OUT/export.log" >&2; fail "an unwritable path: no message naming it"; }
# generator mode: the fixed noise batch's samples, 64-D for the digits generator
printf '2 export %s\n' "$OUT/samples.npy" > "$OUT/export_gen.txt"
"${XVFB[@]}" "$APP" --headless --generator-preset gen_eight_gaussians_mixed --frames 3 --no-panels "${FAST[@]}" \
  --script "$OUT/export_gen.txt" --screenshot "$OUT/export_gen.png" 2>"$OUT/export_gen.log" || { cat "$OUT/export_gen.log" >&2; fail "generator export run"; }
shape=$(/usr/bin/python3 -c "import numpy as np; print(np.load('$OUT/samples.npy').shape)") || fail "numpy could not read the exported samples"
[ "$shape" = "(2048, 2)" ] || fail "exported samples: expected (2048, 2), got $shape"
grep -q "exported 2048 samples" "$OUT/export_gen.log" || { cat "$OUT/export_gen.log" >&2; fail "no 'exported ... samples' message"; }
echo "export: ok"
