#include "render/gl.hpp"

#include <cstdio>
#include <vector>

#include "render/shader_source.hpp"

namespace driftlab::app::gl {

#if DRIFTLAB_GL_DEBUG
void reportErrors(const char* call, const char* file, int line) {
  for (GLenum e = glGetError(); e != GL_NO_ERROR; e = glGetError())
    std::fprintf(stderr, "driftlab: GL error 0x%04x after %s (%s:%d)\n", e, call, file, line);
}
#endif

void deleteBuffer(GLuint id) { glDeleteBuffers(1, &id); }
void deleteVertexArray(GLuint id) { glDeleteVertexArrays(1, &id); }
void deleteTexture(GLuint id) { glDeleteTextures(1, &id); }
void deleteFramebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void deleteProgram(GLuint id) { glDeleteProgram(id); }

Buffer makeBuffer() {
  GLuint id = 0;
  glGenBuffers(1, &id);
  return Buffer(id);
}
VertexArray makeVertexArray() {
  GLuint id = 0;
  glGenVertexArrays(1, &id);
  return VertexArray(id);
}
Texture makeTexture() {
  GLuint id = 0;
  glGenTextures(1, &id);
  return Texture(id);
}

namespace {

// compiles one stage; on failure returns the info log prefixed with the file name
std::variant<GLuint, std::string> compileStage(GLenum stage, std::string_view file) {
  auto source = shaderSource(file);
  if (!source) return std::string("shader ") + std::string(file) + ": not found among the embedded shaders";
  GLuint sh = glCreateShader(stage);
  const char* text = source->data();
  GLint len = static_cast<GLint>(source->size());
  glShaderSource(sh, 1, &text, &len);
  glCompileShader(sh);
  GLint ok = 0;
  glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
  if (ok) return sh;
  GLint log_len = 0;
  glGetShaderiv(sh, GL_INFO_LOG_LENGTH, &log_len);
  std::string log(static_cast<std::size_t>(log_len > 1 ? log_len : 1), '\0');
  glGetShaderInfoLog(sh, log_len, nullptr, log.data());
  glDeleteShader(sh);
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return "shader " + std::string(file) + ": compile error: " + log;
}

}  // namespace

std::variant<Program, std::string> buildProgram(std::string_view vert_file, std::string_view frag_file) {
  auto vs = compileStage(GL_VERTEX_SHADER, vert_file);
  if (auto* e = std::get_if<std::string>(&vs)) return *e;
  auto fs = compileStage(GL_FRAGMENT_SHADER, frag_file);
  if (auto* e = std::get_if<std::string>(&fs)) {
    glDeleteShader(std::get<GLuint>(vs));
    return *e;
  }
  GLuint prog = glCreateProgram();
  glAttachShader(prog, std::get<GLuint>(vs));
  glAttachShader(prog, std::get<GLuint>(fs));
  glLinkProgram(prog);
  glDeleteShader(std::get<GLuint>(vs));
  glDeleteShader(std::get<GLuint>(fs));
  GLint ok = 0;
  glGetProgramiv(prog, GL_LINK_STATUS, &ok);
  if (ok) return Program(prog);
  GLint log_len = 0;
  glGetProgramiv(prog, GL_INFO_LOG_LENGTH, &log_len);
  std::string log(static_cast<std::size_t>(log_len > 1 ? log_len : 1), '\0');
  glGetProgramInfoLog(prog, log_len, nullptr, log.data());
  glDeleteProgram(prog);
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return "program " + std::string(vert_file) + " + " + std::string(frag_file) + ": link error: " + log;
}

void DynamicBuffer::upload(const void* data, std::size_t bytes) {
  if (!buffer_) buffer_ = makeBuffer();
  glBindBuffer(GL_ARRAY_BUFFER, buffer_.id());
  if (bytes > capacity_) {
    // grow geometrically so that a slowly growing particle count does not reallocate every frame
    capacity_ = bytes + bytes / 2 + 256;
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(capacity_), nullptr, GL_DYNAMIC_DRAW);
  }
  if (bytes > 0) glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(bytes), data);
  size_ = bytes;
}

bool RenderTarget::resize(int width, int height) {
  if (width == width_ && height == height_ && fbo_) return true;
  width_ = width;
  height_ = height;
  colour_ = makeTexture();
  glBindTexture(GL_TEXTURE_2D, colour_.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  GLuint fbo = 0;
  glGenFramebuffers(1, &fbo);
  fbo_ = Framebuffer(fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, colour_.id(), 0);
  bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  return ok;
}

void RenderTarget::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_.id());
  glViewport(0, 0, width_, height_);
}

void RenderTarget::readPixels(std::string& pixels) const {
  pixels.resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_.id());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
}

void RenderTarget::blitToScreen(int dst_width, int dst_height) const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_.id());
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glBlitFramebuffer(0, 0, width_, height_, 0, 0, dst_width, dst_height, GL_COLOR_BUFFER_BIT,
                    (dst_width == width_ && dst_height == height_) ? GL_NEAREST : GL_LINEAR);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void bindScreen(int width, int height) {
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, width, height);
}

void restrictToColumns(int x, int w, int height) {
  glViewport(x, 0, w, height);
  glEnable(GL_SCISSOR_TEST);
  glScissor(x, 0, w, height);
}

void unrestrict(int width, int height) {
  glDisable(GL_SCISSOR_TEST);
  glViewport(0, 0, width, height);
}

void clear(float r, float g, float b, float a) {
  glClearColor(r, g, b, a);
  glClear(GL_COLOR_BUFFER_BIT);
}

std::string contextDescription() {
  auto str = [](GLenum e) {
    const auto* s = reinterpret_cast<const char*>(glGetString(e));
    return std::string(s ? s : "?");
  };
  return str(GL_VERSION) + ", " + str(GL_RENDERER);
}

}  // namespace driftlab::app::gl
