#!/usr/bin/env python3
"""Scatter plot of point-set CSVs (header row, x,y columns) as a PNG, with only the Python
standard library (no numpy/matplotlib on the build machine). Used for the generator figures:

  scripts/scatter_png.py out.png --box -1.3 1.3 data.csv:#9aa0a6 samples.csv:#d93025

Each input is PATH[:#rrggbb]; later sets are drawn on top. Pixels get alpha-blended dots."""
import argparse
import struct
import sys
import zlib


def read_points(path):
    pts = []
    with open(path) as f:
        next(f)  # header
        for line in f:
            parts = line.strip().split(",")
            if len(parts) >= 2:
                pts.append((float(parts[0]), float(parts[1])))
    return pts


def write_png(path, w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb[y * w * 3:(y + 1) * w * 3]) for y in range(h))

    def chunk(tag, data):
        c = struct.pack(">I", len(data)) + tag + data
        return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("inputs", nargs="+", help="PATH[:#rrggbb]")
    ap.add_argument("--size", type=int, default=480)
    ap.add_argument("--box", type=float, nargs=2, default=(-1.3, 1.3), metavar=("LO", "HI"))
    ap.add_argument("--alpha", type=float, default=0.5)
    a = ap.parse_args()
    w = h = a.size
    rgb = bytearray([255] * (w * h * 3))
    lo, hi = a.box
    for spec in a.inputs:
        path, _, colour = spec.partition(":")
        colour = colour or "#1a73e8"
        c = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        for x, y in read_points(path):
            px = int((x - lo) / (hi - lo) * (w - 1) + 0.5)
            py = int((hi - y) / (hi - lo) * (h - 1) + 0.5)
            for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
                qx, qy = px + dx, py + dy
                if 0 <= qx < w and 0 <= qy < h:
                    k = (qy * w + qx) * 3
                    for j in range(3):
                        rgb[k + j] = int(rgb[k + j] * (1 - a.alpha) + c[j] * a.alpha)
    write_png(a.out, w, h, rgb)


if __name__ == "__main__":
    sys.exit(main())
