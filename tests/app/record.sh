#!/bin/bash
# --record makes a valid MP4: ffprobe reports h264, the requested size and one frame per rendered frame.
source "$(dirname "$0")/common.sh"
command -v ffprobe >/dev/null || { echo "ffprobe missing: skipped"; exit 0; }
rm -f "$OUT/rec.mp4"
"${XVFB[@]}" "$APP" --headless --preset default --frames 24 --no-panels --size 320x240 --view density_n=24 \
  --view quiver_n=12 --record "$OUT/rec.mp4" 2>"$OUT/rec.log" || { cat "$OUT/rec.log" >&2; fail "headless record"; }
grep -q "recorded 24 frames" "$OUT/rec.log" || fail "no summary line: $(cat "$OUT/rec.log")"
probe=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames \
  -of default=nw=1 "$OUT/rec.mp4") || fail "ffprobe cannot read rec.mp4"
echo "$probe"
echo "$probe" | grep -qx "codec_name=h264" || fail "codec"
echo "$probe" | grep -qx "width=320" || fail "width"
echo "$probe" | grep -qx "height=240" || fail "height"
echo "$probe" | grep -qx "pix_fmt=yuv420p" || fail "pix_fmt"
echo "$probe" | grep -qx "nb_read_frames=24" || fail "frame count"

# the interactive F9 path (fixed-size FBO of the window, frames piped while the loop runs, stop
# checks and reports the frame count): a timed window run with --record
rm -f "$OUT/rec_window.mp4"
"${XVFB[@]}" "$APP" --preset default --frames 15 --size 640x480 --record "$OUT/rec_window.mp4" 2>"$OUT/rec_window.log" \
  || { cat "$OUT/rec_window.log" >&2; fail "window record"; }
grep -q "recorded 15 frames (640x480)" "$OUT/rec_window.log" || fail "window record summary: $(cat "$OUT/rec_window.log")"
probe=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=codec_name,width,height,nb_read_frames \
  -of default=nw=1 "$OUT/rec_window.mp4") || fail "ffprobe cannot read rec_window.mp4"
echo "$probe" | tr '\n' ' '; echo
echo "$probe" | grep -qx "width=640" && echo "$probe" | grep -qx "height=480" || fail "window record size"
echo "$probe" | grep -qx "nb_read_frames=15" || fail "window record frame count"

# --record-from-reset in the window (the Shift+F9 path): the run is reset and the recording starts
# with its step-0 frame, then the run goes on at the watch speed (2 steps/s)
rm -f "$OUT/rec_reset.mp4"
"${XVFB[@]}" "$APP" --preset default --frames 40 --size 640x480 --record "$OUT/rec_reset.mp4" --record-from-reset \
  2>"$OUT/rec_reset.log" || { cat "$OUT/rec_reset.log" >&2; fail "window record from reset"; }
cat "$OUT/rec_reset.log"
grep -q "recorded [0-9]* frames (640x480)" "$OUT/rec_reset.log" || fail "record from reset summary: $(cat "$OUT/rec_reset.log")"
grep -Eq "engine at step [0-9]+, [0-9.]+ steps/s" "$OUT/rec_reset.log" || fail "record from reset: no engine line"
ffprobe -v error "$OUT/rec_reset.mp4" || fail "ffprobe cannot read rec_reset.mp4"
# headless: frame 0 is the initial state, so 5 frames take 4 steps
"${XVFB[@]}" "$APP" --headless --preset default --frames 5 --no-panels --size 320x240 --view density_n=24 \
  --view quiver_n=12 --record "$OUT/rec_reset_headless.mp4" --record-from-reset 2>"$OUT/rec_reset_headless.log" \
  || { cat "$OUT/rec_reset_headless.log" >&2; fail "headless record from reset"; }
grep -q "engine step 4," "$OUT/rec_reset_headless.log" || fail "headless record from reset: $(cat "$OUT/rec_reset_headless.log")"
