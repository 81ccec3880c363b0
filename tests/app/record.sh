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
