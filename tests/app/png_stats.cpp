// Pixel statistics of PNG files for the app tests (stb_image from Debian's libstb).
//   driftlab_png_stats FILE [X0 Y0 X1 Y1]      statistics of a rectangle (default: whole image)
//   driftlab_png_stats --diff A B [X0 Y0 X1 Y1] fraction of pixels that differ between two images
// Prints key=value lines: width, height, pixels, nonbg (pixels far from the canvas background),
// colorful (saturated pixels: particles, coloured arrows), reddish (red dominant: the first category
// colour, e.g. the first term's arrows), bright (near-white/grey: data, arrows),
// distinct (number of distinct colours quantised to 4 bits per channel), mean_r/g/b; or
// differ (fraction of pixels with a channel difference > 24). Exit 2 on bad input.
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

namespace {

struct Image {
  int w = 0, h = 0;
  unsigned char* px = nullptr;
  ~Image() {
    if (px) stbi_image_free(px);
  }
};

bool load(const char* path, Image& img) {
  int comp = 0;
  img.px = stbi_load(path, &img.w, &img.h, &comp, 4);
  if (!img.px) std::fprintf(stderr, "png_stats: cannot read %s\n", path);
  return img.px != nullptr;
}

bool rect(int argc, char** argv, int first, const Image& img, int r[4]) {
  r[0] = 0, r[1] = 0, r[2] = img.w, r[3] = img.h;
  if (argc < first + 4) return true;
  for (int i = 0; i < 4; ++i) r[i] = std::atoi(argv[first + i]);
  r[0] = std::clamp(r[0], 0, img.w), r[2] = std::clamp(r[2], 0, img.w);
  r[1] = std::clamp(r[1], 0, img.h), r[3] = std::clamp(r[3], 0, img.h);
  if (r[0] >= r[2] || r[1] >= r[3]) {
    std::fprintf(stderr, "png_stats: empty rectangle\n");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "--diff") == 0) {
    Image a, b;
    if (!load(argv[2], a) || !load(argv[3], b)) return 2;
    if (a.w != b.w || a.h != b.h) {
      std::fprintf(stderr, "png_stats: sizes differ\n");
      return 2;
    }
    int r[4];
    if (!rect(argc, argv, 4, a, r)) return 2;
    long differ = 0, total = 0;
    for (int y = r[1]; y < r[3]; ++y)
      for (int x = r[0]; x < r[2]; ++x) {
        const unsigned char* p = a.px + 4 * (static_cast<long>(y) * a.w + x);
        const unsigned char* q = b.px + 4 * (static_cast<long>(y) * b.w + x);
        int d = std::max({std::abs(p[0] - q[0]), std::abs(p[1] - q[1]), std::abs(p[2] - q[2])});
        differ += d > 24;
        ++total;
      }
    std::printf("pixels=%ld\ndiffer=%.6f\n", total, total ? static_cast<double>(differ) / static_cast<double>(total) : 0.0);
    return 0;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: driftlab_png_stats FILE [X0 Y0 X1 Y1] | --diff A B [X0 Y0 X1 Y1]\n");
    return 2;
  }
  Image img;
  if (!load(argv[1], img)) return 2;
  int r[4];
  if (!rect(argc, argv, 2, img, r)) return 2;
  // the canvas background is the most common colour of the whole image
  long nonbg = 0, colorful = 0, reddish = 0, bright = 0, total = 0;
  double sr = 0, sg = 0, sb = 0;
  std::set<int> distinct;
  const unsigned char* bg = img.px;  // top-left pixel: canvas corner in every test layout
  for (int y = r[1]; y < r[3]; ++y)
    for (int x = r[0]; x < r[2]; ++x) {
      const unsigned char* p = img.px + 4 * (static_cast<long>(y) * img.w + x);
      int mx = std::max({p[0], p[1], p[2]}), mn = std::min({p[0], p[1], p[2]});
      int d = std::max({std::abs(p[0] - bg[0]), std::abs(p[1] - bg[1]), std::abs(p[2] - bg[2])});
      nonbg += d > 30;
      colorful += (mx - mn) > 80 && mx > 120;
      reddish += p[0] > 150 && p[0] > p[1] + 70 && p[0] > p[2] + 70;
      bright += mn > 140 && (mx - mn) < 50;
      sr += p[0], sg += p[1], sb += p[2];
      distinct.insert((p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4));
      ++total;
    }
  std::printf("width=%d\nheight=%d\npixels=%ld\nnonbg=%ld\ncolorful=%ld\nreddish=%ld\nbright=%ld\ndistinct=%zu\n",
              img.w, img.h, total, nonbg, colorful, reddish, bright, distinct.size());
  std::printf("mean_r=%.1f\nmean_g=%.1f\nmean_b=%.1f\n", sr / static_cast<double>(total), sg / static_cast<double>(total),
              sb / static_cast<double>(total));
  return 0;
}
