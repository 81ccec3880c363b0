#include "render/caption.hpp"

#include <cctype>
#include <cstdio>

namespace driftlab::app::render {

namespace {

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

}  // namespace

std::string divergenceDisplayName(Divergence d, bool greek) {
  const std::string chi = greek ? "\xCF\x87\xC2\xB2" : "chi\xC2\xB2";  // χ² / chi²
  switch (d) {
    case Divergence::ForwardKL: return "forward KL";
    case Divergence::ReverseKL: return "reverse KL";
    case Divergence::Chi2: return chi;
    case Divergence::Chi2Reverse: return "reverse " + chi;
    case Divergence::Hellinger: return "Hellinger";
    case Divergence::JS: return "Jensen-Shannon";
    case Divergence::MMD: return "MMD";
    case Divergence::Sinkhorn: return "Sinkhorn";
    default: break;
  }
  std::string s = divergenceName(d);  // drift, drift_double, alpha: the table's name, spaced
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

std::string weightsDisplay(const DivergenceWeights& w, bool greek) {
  if (w.isSingle()) {
    for (int i = 0; i < kNumDivergences; ++i)
      if (w.w[i] > 0) return divergenceDisplayName(static_cast<Divergence>(i), greek);
  }
  std::string out = "mixed (";
  bool first = true;
  for (int i = 0; i < kNumDivergences; ++i) {
    if (!(w.w[i] > 0)) continue;
    if (!first) out += ", ";
    first = false;
    out += divergenceDisplayName(static_cast<Divergence>(i), greek) + " " + num(w.w[i]);
  }
  return out + ")";
}

std::string presenterCaption(KernelKind kernel, double h, const DivergenceWeights& w, long step, double time,
                             bool greek) {
  const std::string dot = " \xC2\xB7 ";
  std::string k = kernelName(kernel);
  for (char& c : k)
    if (c == '_') c = '-';
  if (!k.empty()) k[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(k[0])));
  if (k == "Imq" || k == "Mmd") k = k == "Imq" ? "IMQ" : "MMD";
  return k + " kernel, h = " + num(h) + dot + weightsDisplay(w, greek) + dot + "step " + std::to_string(step) + dot +
         "t = " + num(time);
}

}  // namespace driftlab::app::render
