#include "render/sphere_layer.hpp"

namespace driftlab::app::render {

void SphereLayer::draw(const OrbitCamera& cam, float dpi_scale, bool grid, const SphereHeat& heat) {
  if (!build("sphere.vert.glsl", "sphere.frag.glsl")) return;
  Vec3f r, u, f;
  cam.basis(r, u, f);
  const Vec3f e = cam.eye();
  const GLuint prog = program_.id();
  glUseProgram(prog);
  glUniform3f(glGetUniformLocation(prog, "u_eye"), e.x, e.y, e.z);
  glUniform3f(glGetUniformLocation(prog, "u_right"), r.x, r.y, r.z);
  glUniform3f(glGetUniformLocation(prog, "u_up"), u.x, u.y, u.z);
  glUniform3f(glGetUniformLocation(prog, "u_forward"), f.x, f.y, f.z);
  glUniform1f(glGetUniformLocation(prog, "u_focal"), cam.focalPixels());
  glUniform2f(glGetUniformLocation(prog, "u_principal"), cam.principalPoint().x, cam.principalPoint().y);
  glUniform1f(glGetUniformLocation(prog, "u_height"), cam.viewportHeight());
  glUniform1f(glGetUniformLocation(prog, "u_origin_x"), cam.viewportLeft());
  glUniform1f(glGetUniformLocation(prog, "u_dpi"), dpi_scale > 0 ? dpi_scale : 1.f);
  glUniform1i(glGetUniformLocation(prog, "u_grid"), grid ? 1 : 0);
  const bool painted = heat.layer != nullptr && heat.layer->bindForSampling(heat.map, true);
  glUniform1i(glGetUniformLocation(prog, "u_heat"), painted ? 1 : 0);
  glUniform1i(glGetUniformLocation(prog, "u_field"), 0);
  glUniform1i(glGetUniformLocation(prog, "u_lut"), 1);
  glUniform2f(glGetUniformLocation(prog, "u_range"), heat.lo, heat.hi);
  glUniform1f(glGetUniformLocation(prog, "u_heat_opacity"), heat.opacity);
  glUniform1i(glGetUniformLocation(prog, "u_fade_neutral"), heat.map == ColorMap::Diverging ? 1 : 0);
  glBindVertexArray(vao_.id());  // attribute-less: the vertex shader makes the triangle
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
}

}  // namespace driftlab::app::render
