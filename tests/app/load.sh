#!/bin/bash
# The script verb `load` behaves as Load in the window: a scenario that fails to load (its data CSV
# missing, malformed JSON, a model file) leaves the current run running and shows the error; a good
# file replaces the run, flow or generator by the file's structure (a flow scenario named
# "generator" stays a flow scenario).
source "$(dirname "$0")/common.sh"
printf '{ "data": { "dataset": "csv", "csv": "%s" } }' "$OUT/no_such_data.csv" > "$OUT/missing_csv.json"
printf '{ "data": { "dataset": ' > "$OUT/broken.json"
printf '{ "name": "generator", "description": "a \\"generator\\" in words only", "init": { "particles": 300 } }' \
  > "$OUT/named_generator.json"
printf '{ "kind": "generator", "name": "small_gen", "generator": { "batch": 64, "data_batch": 64, "sample_count": 64 } }' \
  > "$OUT/small_gen.json"

# bad loads at frames 3 and 5: the run keeps stepping (one step per frame: step 12 after 12 frames)
printf '3 load %s\n5 load %s\n' "$OUT/missing_csv.json" "$OUT/broken.json" > "$OUT/bad_loads.txt"
"${XVFB[@]}" "$APP" --headless --preset default --frames 12 --no-panels "${FAST[@]}" --script "$OUT/bad_loads.txt" \
  2>"$OUT/bad_loads.log"
rc=$?
[ $rc -eq 0 ] || { cat "$OUT/bad_loads.log" >&2; fail "bad loads: the run did not continue (exit $rc)"; }
cat "$OUT/bad_loads.log"
grep -q "^driftlab: script line 1: .*missing_csv.json: .*no_such_data.csv: cannot open file" "$OUT/bad_loads.log" ||
  fail "bad loads: the missing CSV is not reported"
grep -q "^driftlab: script line 2: .*broken.json: invalid JSON" "$OUT/bad_loads.log" || fail "bad loads: broken JSON not reported"
grep -q "engine step 12," "$OUT/bad_loads.log" || fail "bad loads: the first run did not keep stepping to step 12"

# good loads: a flow scenario whose name is "generator" at frame 4, then a generator scenario at
# frame 9, which trains at frames 9, 10 and 11 from step 0: step 3 at the end
printf '4 load %s\n9 load %s\n' "$OUT/named_generator.json" "$OUT/small_gen.json" > "$OUT/good_loads.txt"
"${XVFB[@]}" "$APP" --headless --preset default --frames 12 --no-panels "${FAST[@]}" --script "$OUT/good_loads.txt" \
  2>"$OUT/good_loads.log"
rc=$?
[ $rc -eq 0 ] || { cat "$OUT/good_loads.log" >&2; fail "good loads: exit $rc"; }
cat "$OUT/good_loads.log"
grep -q "^driftlab: script line 1: loaded scenario .*named_generator.json" "$OUT/good_loads.log" ||
  fail "good loads: the flow scenario named generator did not load as a flow scenario"
grep -q "^driftlab: script line 2: loaded generator scenario .*small_gen.json" "$OUT/good_loads.log" ||
  fail "good loads: the generator scenario did not load"
grep -q "engine step 3," "$OUT/good_loads.log" || fail "good loads: the generator run did not start at step 0"
echo "load: ok"
