// The limits every error line and every JSON file is held to (error.hpp, text.hpp, json_text.hpp):
// one printable line of bounded length whatever the user typed, UTF-8 checked where text enters,
// and JSON nesting refused before a recursive parser can overflow the stack.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "error_of.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/base/text.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/json_text.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {
}  // namespace

TEST_CASE("error lines: control characters and invalid UTF-8 are escaped, valid UTF-8 is kept") {
  CHECK(std::string(InvalidArgument("kernel: unknown 'a\nb\tc\r'").what()) == "kernel: unknown 'a\\nb\\tc\\r'");
  CHECK(std::string(InvalidArgument("name: 'a\xff" "b\x01'").what()) == "name: 'a\\xFFb\\x01'");
  CHECK(std::string(InvalidArgument("h \xE2\x86\x92 0.05, \xCF\x87\xC2\xB2").what()) == "h \xE2\x86\x92 0.05, \xCF\x87\xC2\xB2");
  CHECK(std::string(InvalidArgument("cut \xE2\x86").what()) == "cut \\xE2\\x86");  // a sequence cut short
}

TEST_CASE("error lines: a huge value is cut in the middle, keeping where and what was expected") {
  const std::string msg = "--set kernel=" + std::string(1 << 20, 'k') + " (expected one of gaussian, laplacian)";
  const std::string line = InvalidArgument(msg).what();
  CHECK(line.size() <= detail::kMaxErrorLength);
  CHECK(line.rfind("--set kernel=kkk", 0) == 0);
  CHECK(line.find(" ... ") != std::string::npos);
  CHECK(line.substr(line.size() - 37) == "(expected one of gaussian, laplacian)");
  const std::string utf8 = InvalidArgument(std::string(400, 'a') + std::string(300, '\xCF') + "").what();
  CHECK(utf8.size() <= detail::kMaxErrorLength);
}

TEST_CASE("UTF-8: valid text, stray bytes, overlong forms, surrogates and cut sequences") {
  CHECK(isValidUtf8("plain ascii"));
  CHECK(isValidUtf8("\xCF\x87\xC2\xB2 \xE2\x86\x92 \xF0\x9F\x98\x80"));
  CHECK_FALSE(isValidUtf8("a\xff" "b"));
  CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(isValidUtf8("\xE2\x86"));          // cut short
  CHECK_FALSE(isValidUtf8("\x80"));              // a continuation byte alone
}

TEST_CASE("JSON text: 64 levels pass, 65 are refused with line and column, brackets in strings do not count") {
  const auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK_NOTHROW(checkJsonText(nested(kMaxJsonDepth), "ok.json"));
  CHECK(errorOf([&] { checkJsonText("{\n \"a\": " + nested(kMaxJsonDepth), "deep.json"); }) ==
        "deep.json: JSON nested deeper than 64 levels at line 2, column 70");
  CHECK_NOTHROW(checkJsonText("{\"name\": \"" + std::string(1000, '[') + "\\\"[\"}", "str.json"));
  CHECK(errorOf([] { checkJsonText(std::string(100'000, '['), "top.json"); }) ==
        "top.json: JSON nested deeper than 64 levels at line 1, column 65");
}

TEST_CASE("JSON text: a key given twice in one object is refused where it appears again") {
  CHECK(errorOf([] { checkJsonText("{\"steps\": 500,\n \"steps\": 5}", "dup.json"); }) ==
        "dup.json: duplicate key \"steps\" at line 2, column 2");
  // the same key in sibling or nested objects, and a key-like string as a value, are fine
  CHECK_NOTHROW(checkJsonText(R"({"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}], "d": "a"})", "ok.json"));
  CHECK_NOTHROW(checkJsonText(R"({"a": "\"a\"", "b": ["a", "a"]})", "ok.json"));
  // through the scenario reader: an earlier invalid value no longer hides behind a later valid one
  const std::string text = scenarioToJson(defaultScenario());
  const std::string dup = "{\"steps\": -3," + text.substr(text.find('{') + 1);
  CHECK(errorOf([&] { scenarioFromJson(dup, "dup.json"); }).find("dup.json: duplicate key \"steps\" at line") == 0);
}

TEST_CASE("size limits: a scenario file over 16 MiB, 65 bandwidth scales, a CSV of 16385 columns are refused") {
  std::filesystem::create_directories(DRIFTLAB_TEST_TMP);
  const std::string big = std::string(DRIFTLAB_TEST_TMP) + "/limits_big_scenario_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream out(big, std::ios::binary);
    out << "{\"description\": \"" << std::string((std::size_t(16) << 20) + 1, 'a') << "\"}";
  }
  CHECK(errorOf([&] { (void)loadScenario(big); }) == big + ": scenario file larger than the 16 MiB limit");
  std::filesystem::remove(big);

  Scenario s = defaultScenario();
  std::string scales;
  for (int i = 0; i < 64; ++i) scales += (i ? "," : "") + std::to_string(0.01 * (i + 1));
  CHECK_NOTHROW(applySetting(s, "bandwidth.scales=" + scales));
  CHECK(s.params.bandwidth.scales.size() == 64u);
  CHECK(errorOf([&] { applySetting(s, "bandwidth.scales=" + scales + ",1"); })
            .find("bandwidth.scales: at most 64 bandwidths (got 65)") != std::string::npos);

  std::string header, row;
  for (long long c = 0; c < kMaxDimension + 1; ++c) {
    header += (c ? ",x" : "x") + std::to_string(c);
    row += c ? ",0" : "0";
  }
  CHECK(errorOf([&] { (void)parseCsvPoints(header + "\n" + row + "\n", "wide.csv"); }) ==
        "wide.csv:1: 16385 columns; points may have at most 16384 dimensions");
  const Points narrow = parseCsvPoints("x,y,z\n1,2,3\n", "narrow.csv");
  CHECK(narrow.rows() == 3);
}
