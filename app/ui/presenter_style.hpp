// Presenter mode's look (P, --presenter): a scalable TTF font at a projector size next to ImGui's
// built-in one, a high-contrast theme, and the UI scale of the mode in force. Render thread only.
#pragma once

struct ImFont;

namespace driftlab::app::ui {

inline constexpr float kPresenterFontPx = 22.f;
inline constexpr const char* kPresenterFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct PresenterFonts {
  ImFont* normal = nullptr;  // ImGui's built-in 13 px font (the default)
  ImFont* large = nullptr;   // DejaVu Sans at kPresenterFontPx with Greek glyphs; null when missing
  ImFont* math = nullptr;    // DejaVu Sans at kMathFontPx with Greek and maths glyphs; null when missing
};

// the Equations window's formula font (ui/equations_panel.cpp): ImGui's built-in font has ASCII and
// Latin-1 only, so Greek letters, nabla, sums and the combining hat come from DejaVu Sans, which the
// large presenter font also carries
inline constexpr float kMathFontPx = 15.f;
// the font with the maths glyphs for the look in force: the presenter font when it is the default,
// else PresenterFonts::math; null when DejaVu Sans is missing (or no fonts were loaded)
ImFont* mathFont();

// Both sizes are added at start-up, after ImGui::CreateContext and before the first NewFrame:
// ImGui 1.86's OpenGL3 backend builds the font texture once, in its first NewFrame. A missing
// font file leaves `large` null: presenter mode then scales the built-in font, and the first switch
// to it prints one line naming the Debian package.
PresenterFonts loadPresenterFonts();

// Once per frame before ImGui::NewFrame: the font and FontGlobalScale for `ui_scale`, and the
// theme (high contrast when `presenter`); the style is swapped only when the mode changes.
void applyPresenterLook(bool presenter, float ui_scale, const PresenterFonts& fonts);

}  // namespace driftlab::app::ui
