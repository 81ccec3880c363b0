// driftlab_fuzz: a deterministic mutation fuzzer for driftlab's parsers (fuzz_targets.hpp).
//
//   driftlab_fuzz [--target NAME|all] [--runs N] [--seconds S] [--seed K] [--artifacts DIR]
//                                      N inputs and S seconds per target (both, when both given)
//   driftlab_fuzz --hostile            the built-in hostile inputs (regressions), each target
//   driftlab_fuzz --replay FILE...     one file each, target from the parent folder's name
//
// Mutations (seeded, so a run is reproducible from its seed): bit flips, byte sets, inserts and
// deletions, duplicated ranges, dictionary tokens (numbers at the edges of double, non-finite
// words, UTF-8 oddities, JSON brackets, the settings' own keys), number swaps, splices of two
// seeds, truncation, and wrapping a slice in up to 200 levels of brackets. Built without
// libFuzzer so that it runs in the AddressSanitizer + UndefinedBehaviorSanitizer build of the
// test suite (scripts/asan_check.sh) with no extra toolchain; a sanitizer report ends the run
// with a non-zero status, and so does any defect a target reports. The last line reads
// "fuzz: N passed, M failed" (M = defects found).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "driftlab/flow/scenario.hpp"
#include "fuzz_targets.hpp"

namespace fz = driftlab::fuzz;

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;

// splitmix64: small, fast, and the same sequence on every platform
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

std::vector<std::string> dictionary() {
  std::vector<std::string> d = {
      "0", "-0", "1", "-1", "1e308", "-1e308", "1e309", "1e-320", "4.9e-324", "3.4028234663852886e38",
      "1.7976931348623157e308", "18446744073709551616", "9223372036854775807", "-9223372036854775808",
      "2147483648", "0x10", "nan", "NaN", "inf", "-inf", "Infinity", "1e", ".", "-", "+", "e5",
      "\"", "\"\"", "\\", "\\u0000", "\\ud800", "null", "true", "false", "[]", "{}", "[", "]", "{", "}",
      ",", ":", "[[[[[[[[", "]]]]]]]]", "\xef\xbb\xbf", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\r", "\r\n",
      "\t", "\0", "#", "=", "==", " ", "\"kind\": \"generator\"", "\"data\"", "\"weights\"", "\"bandwidth\"",
      "\"scales\"", "\"architecture\"", "\"checksum\"", "set", "view", "click", "screenshot", "quit",
  };
  for (const std::string& key : driftlab::settingKeys()) {
    d.push_back(key);
    d.push_back("\"" + key + "\"");
  }
  return d;
}

bool isNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'; }

std::string mutate(std::string in, const std::vector<std::string>& seeds, const std::vector<std::string>& dict, Rng& rng) {
  const int ops = 1 + static_cast<int>(rng.below(4));
  for (int k = 0; k < ops; ++k) {
    const std::size_t n = in.size();
    switch (rng.below(11)) {
      case 0:  // flip a bit
        if (n) in[rng.below(n)] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1:  // set a byte
        if (n) in[rng.below(n)] = static_cast<char>(rng.below(256));
        break;
      case 2:  // insert a byte
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(n + 1)), static_cast<char>(rng.below(256)));
        break;
      case 3: {  // delete a range
        if (!n) break;
        const std::size_t at = rng.below(n), len = 1 + rng.below(std::min<std::size_t>(16, n - at));
        in.erase(at, len);
        break;
      }
      case 4: {  // duplicate a range
        if (!n) break;
        const std::size_t at = rng.below(n), len = 1 + rng.below(std::min<std::size_t>(64, n - at));
        in.insert(rng.below(n + 1), in.substr(at, len));
        break;
      }
      case 5:
      case 6:  // insert a dictionary token
        in.insert(rng.below(n + 1), dict[rng.below(dict.size())]);
        break;
      case 7: {  // replace a number with one from the dictionary's edges
        if (!n) break;
        std::size_t at = rng.below(n);
        while (at < n && !isNumberChar(in[at])) ++at;
        std::size_t end = at;
        while (end < n && isNumberChar(in[end])) ++end;
        if (end > at) in.replace(at, end - at, dict[rng.below(24)]);
        break;
      }
      case 8: {  // splice with another seed
        const std::string& other = seeds[rng.below(seeds.size())];
        const std::size_t cut = rng.below(n + 1), from = rng.below(other.size() + 1);
        in = in.substr(0, cut) + other.substr(from);
        break;
      }
      case 9:  // truncate
        if (n) in.resize(rng.below(n));
        break;
      default: {  // wrap a slice in brackets
        const std::size_t depth = 1 + rng.below(200);
        const std::size_t a = rng.below(n + 1), b = a + rng.below(n - a + 1);
        const char open = rng.below(2) ? '[' : '{';
        std::string wrapped = open == '[' ? std::string(depth, '[') + in.substr(a, b - a) + std::string(depth, ']')
                                          : [&] {
                                              std::string s;
                                              for (std::size_t i = 0; i < depth; ++i) s += "{\"k\":";
                                              return s + in.substr(a, b - a) + std::string(depth, '}');
                                            }();
        in = in.substr(0, a) + wrapped + in.substr(b);
        break;
      }
    }
    if (in.size() > kMaxInput) in.resize(kMaxInput);
  }
  return in;
}

void saveArtifact(const std::string& dir, const std::string& target, std::uint64_t index, const std::string& input) {
  std::error_code ec;
  std::filesystem::create_directories(dir + "/" + target, ec);
  const std::string path = dir + "/" + target + "/defect-" + std::to_string(index);
  std::ofstream(path, std::ios::binary) << input;
  std::fprintf(stderr, "fuzz: input saved to %s (replay: driftlab_fuzz --replay %s)\n", path.c_str(), path.c_str());
}

struct Tally {
  long passed = 0, failed = 0;
};

// runs one input; a defect is printed (and saved when a folder is given)
bool runOne(const fz::Target& t, const std::string& input, const std::string& artifacts, std::uint64_t index,
            long& accepted) {
  try {
    if (t.run(input) == fz::Verdict::Accepted) ++accepted;
    return true;
  } catch (const fz::FuzzDefect& d) {
    std::fprintf(stderr, "fuzz: DEFECT in %s (input %llu, %zu bytes): %s\n", t.name.c_str(),
                 static_cast<unsigned long long>(index), input.size(), d.what.c_str());
    if (!artifacts.empty()) saveArtifact(artifacts, t.name, index, input);
    return false;
  }
}

void fuzzTarget(const fz::Target& t, long runs, double seconds, std::uint64_t seed, const std::string& artifacts,
                Tally& tally) {
  const std::vector<std::string> seeds = t.seeds();
  const std::vector<std::string> dict = dictionary();
  Rng rng{seed ^ std::hash<std::string>{}(t.name)};
  const auto start = std::chrono::steady_clock::now();
  long done = 0, accepted = 0, defects = 0;
  for (const std::string& s : seeds) {  // the seeds themselves must pass
    if (!runOne(t, s, artifacts, static_cast<std::uint64_t>(done), accepted)) ++defects;
    ++done;
  }
  while (true) {
    // with both limits, both must be met: at least `runs` inputs and at least `seconds`
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if ((runs <= 0 || done >= runs) && (seconds <= 0 || elapsed >= seconds)) break;
    const std::string input = mutate(seeds[rng.below(seeds.size())], seeds, dict, rng);
    if (!runOne(t, input, artifacts, static_cast<std::uint64_t>(done), accepted)) ++defects;
    ++done;
    if (defects >= 5) break;  // enough to act on; the rest would repeat them
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fuzz %-18s %8ld inputs in %6.1f s (%ld accepted), %ld defects\n", t.name.c_str(), done, elapsed,
              accepted, defects);
  std::fflush(stdout);
  tally.passed += done - defects;
  tally.failed += defects;
}

const fz::Target* findTarget(const std::string& name) {
  for (const auto& t : fz::targets())
    if (t.name == name) return &t;
  return nullptr;
}

int usage() {
  std::fprintf(stderr,
               "usage: driftlab_fuzz [--target NAME|all] [--runs N] [--seconds S] [--seed K] [--artifacts DIR]\n"
               "       driftlab_fuzz --hostile | --replay FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "all", artifacts;
  long runs = 0;
  double seconds = 0;
  std::uint64_t seed = 1;
  bool hostile = false;
  std::vector<std::string> replay;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--target") target = value();
      else if (a == "--runs") runs = std::stol(value());
      else if (a == "--seconds") seconds = std::stod(value());
      else if (a == "--seed") seed = std::stoull(value());
      else if (a == "--artifacts") artifacts = value();
      else if (a == "--hostile") hostile = true;
      else if (a == "--replay") {
        while (i + 1 < argc) replay.push_back(argv[++i]);
      } else return usage();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "driftlab_fuzz: %s: %s\n", a.c_str(), e.what());
      return 2;
    }
  }
  Tally tally;
  if (hostile) {
    for (const auto& h : fz::hostileInputs()) {
      const fz::Target* t = findTarget(h.target);
      if (!t) return usage();
      long accepted = 0;
      const bool ok = runOne(*t, h.bytes, artifacts, 0, accepted);
      std::printf("hostile %-18s %-55s %s\n", h.target.c_str(), h.label.c_str(),
                  !ok ? "DEFECT" : accepted ? "accepted" : "rejected");
      (ok ? tally.passed : tally.failed) += 1;
    }
  } else if (!replay.empty()) {
    for (const std::string& path : replay) {
      const std::string name = std::filesystem::path(path).parent_path().filename().string();
      const fz::Target* t = findTarget(name);
      if (!t) {
        std::fprintf(stderr, "driftlab_fuzz: %s: the parent folder must name a target\n", path.c_str());
        return 2;
      }
      std::ifstream f(path, std::ios::binary);
      if (!f) {
        std::fprintf(stderr, "driftlab_fuzz: %s: cannot open\n", path.c_str());
        return 2;
      }
      const std::string input((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      long accepted = 0;
      (runOne(*t, input, "", 0, accepted) ? tally.passed : tally.failed) += 1;
    }
  } else {
    if (runs <= 0 && seconds <= 0) runs = 2000;
    for (const auto& t : fz::targets()) {
      if (target != "all" && t.name != target) continue;
      fuzzTarget(t, runs, seconds, seed, artifacts, tally);
    }
    if (target != "all" && !findTarget(target)) return usage();
  }
  std::printf("fuzz: %ld passed, %ld failed\n", tally.passed, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}
