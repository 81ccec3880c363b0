#include "ui/presenter_style.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "imgui.h"

namespace driftlab::app::ui {

namespace {

constexpr float kBuiltinFontPx = 13.f;  // ProggyClean, ImGui's default font

PresenterFonts g_fonts;             // what loadPresenterFonts added (render thread only), for mathFont()
const ImFontAtlas* g_atlas = nullptr;  // the atlas they live in (a later ImGui context has another one)

// white text on a near-black background, saturated accents that survive a washed-out projector
void highContrast(ImGuiStyle& s) {
  ImGui::StyleColorsDark(&s);
  ImVec4* c = s.Colors;
  const ImVec4 accent(0.15f, 0.75f, 1.0f, 1.f), accent_dim(0.10f, 0.45f, 0.75f, 1.f);
  c[ImGuiCol_Text] = ImVec4(1.f, 1.f, 1.f, 1.f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.78f, 0.80f, 0.84f, 1.f);
  c[ImGuiCol_WindowBg] = ImVec4(0.02f, 0.02f, 0.03f, 0.96f);
  c[ImGuiCol_PopupBg] = ImVec4(0.03f, 0.03f, 0.05f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.70f, 0.72f, 0.78f, 0.70f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.18f, 0.24f, 1.f);
  c[ImGuiCol_FrameBgHovered] = accent_dim;
  c[ImGuiCol_FrameBgActive] = accent;
  c[ImGuiCol_TitleBg] = ImVec4(0.08f, 0.10f, 0.16f, 1.f);
  c[ImGuiCol_TitleBgActive] = accent_dim;
  c[ImGuiCol_CheckMark] = ImVec4(1.f, 0.85f, 0.2f, 1.f);
  c[ImGuiCol_SliderGrab] = ImVec4(1.f, 0.85f, 0.2f, 1.f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(1.f, 1.f, 0.5f, 1.f);
  c[ImGuiCol_Button] = accent_dim;
  c[ImGuiCol_ButtonHovered] = accent;
  c[ImGuiCol_ButtonActive] = ImVec4(0.5f, 0.9f, 1.f, 1.f);
  c[ImGuiCol_Header] = accent_dim;
  c[ImGuiCol_HeaderHovered] = accent;
  c[ImGuiCol_HeaderActive] = accent;
  c[ImGuiCol_Separator] = ImVec4(0.7f, 0.72f, 0.78f, 0.8f);
  c[ImGuiCol_PlotLines] = ImVec4(1.f, 1.f, 1.f, 1.f);
  c[ImGuiCol_PlotHistogram] = ImVec4(1.f, 0.85f, 0.2f, 1.f);
  s.FrameBorderSize = 1.f;
  s.WindowRounding = 4.f;
}

}  // namespace

PresenterFonts loadPresenterFonts() {
  ImGuiIO& io = ImGui::GetIO();
  PresenterFonts f;
  f.normal = io.Fonts->AddFontDefault();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(kPresenterFontPath, ec)) return f;  // said when presenter mode starts
  // Latin-1 for the labels, combining marks (the hat of p^) and Greek for the caption's chi and the
  // formulas, modifier letters (the transpose), and punctuation, super/subscripts, arrows and
  // mathematical operators for the Equations window
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0300, 0x03FF, 0x1D00, 0x1DBF, 0x2000, 0x22FF, 0};
  f.large = io.Fonts->AddFontFromFileTTF(kPresenterFontPath, kPresenterFontPx, nullptr, ranges);
  f.math = io.Fonts->AddFontFromFileTTF(kPresenterFontPath, kMathFontPx, nullptr, ranges);
  io.FontDefault = f.normal;
  g_fonts = f;
  g_atlas = io.Fonts;
  return f;
}

ImFont* mathFont() {
  const ImGuiIO& io = ImGui::GetIO();
  if (g_atlas == nullptr || io.Fonts != g_atlas) return nullptr;
  if (g_fonts.large != nullptr && io.FontDefault == g_fonts.large) return g_fonts.large;
  return g_fonts.math;
}

void applyPresenterLook(bool presenter, float ui_scale, const PresenterFonts& fonts) {
  static int shown = -1;  // the theme in force: -1 none yet, 0 default, 1 high contrast
  static ImGuiStyle normal_style;
  if (shown < 0) normal_style = ImGui::GetStyle();
  if (shown != static_cast<int>(presenter)) {
    if (presenter) highContrast(ImGui::GetStyle());
    else ImGui::GetStyle() = normal_style;
    shown = presenter;
  }
  static bool told = false;
  if (presenter && !fonts.large && !told) {
    std::fprintf(stderr,
                 "driftlab: %s not found: presenter mode scales the built-in font (apt-get install "
                 "fonts-dejavu-core for a sharp one)\n",
                 kPresenterFontPath);
    told = true;
  }
  ImGuiIO& io = ImGui::GetIO();
  // above 1.3x the TTF font is sharper than the built-in bitmap font scaled up
  const bool large = fonts.large && ui_scale > 1.3f;
  io.FontDefault = large ? fonts.large : fonts.normal;
  io.FontGlobalScale = large ? ui_scale * kBuiltinFontPx / kPresenterFontPx : ui_scale;
}

}  // namespace driftlab::app::ui
