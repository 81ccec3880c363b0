// Thin RAII owners of OpenGL objects and the shader-program builder (STYLE.md L9, L11).
// The only header of the app that includes <epoxy/gl.h>; everything here is render thread only
// (the thread that owns the GL context).
#pragma once

#include <epoxy/gl.h>  // first: before anything that could pull in GL/gl.h (TOOLCHAIN.md §3)

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace driftlab::app::gl {

#if DRIFTLAB_GL_DEBUG
void reportErrors(const char* call, const char* file, int line);
#define DRIFTLAB_GL_CHECK(call)                                        \
  do {                                                                 \
    call;                                                              \
    ::driftlab::app::gl::reportErrors(#call, __FILE__, __LINE__);      \
  } while (0)
#else
#define DRIFTLAB_GL_CHECK(call) call
#endif

// move-only owner of one GL name; Deleter is a function that frees one name
template <void (*Deleter)(GLuint)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(GLuint id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  GLuint id() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  void reset() {
    if (id_ != 0) Deleter(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

void deleteBuffer(GLuint id);
void deleteVertexArray(GLuint id);
void deleteTexture(GLuint id);
void deleteFramebuffer(GLuint id);
void deleteProgram(GLuint id);

using Buffer = Handle<deleteBuffer>;
using VertexArray = Handle<deleteVertexArray>;
using Texture = Handle<deleteTexture>;
using Framebuffer = Handle<deleteFramebuffer>;
using Program = Handle<deleteProgram>;

Buffer makeBuffer();
VertexArray makeVertexArray();
Texture makeTexture();

// Builds a program from two shader files (embedded at build time, shaders/*.glsl).
// Returns the program, or one error line naming the file and the driver's info log.
std::variant<Program, std::string> buildProgram(std::string_view vert_file, std::string_view frag_file);

// A growable array buffer: uploads with glBufferData only when the capacity grows, otherwise
// glBufferSubData (STYLE.md L11).
class DynamicBuffer {
 public:
  void upload(const void* data, std::size_t bytes);
  GLuint id() const { return buffer_.id(); }
  std::size_t size() const { return size_; }

 private:
  Buffer buffer_;
  std::size_t capacity_ = 0, size_ = 0;
};

// Off-screen colour target of a fixed size (RGBA8 + depth-less), for captures and headless runs.
class RenderTarget {
 public:
  bool resize(int width, int height);  // (re)allocates on size change; false if incomplete
  void bind() const;                   // binds it and sets the viewport
  int width() const { return width_; }
  int height() const { return height_; }
  GLuint framebuffer() const { return fbo_.id(); }
  // reads RGBA8 pixels, bottom row first (GL order); pixels.size() becomes w*h*4
  void readPixels(std::string& pixels) const;
  // copies the target into the default framebuffer (stretched to dst size)
  void blitToScreen(int dst_width, int dst_height) const;

 private:
  Framebuffer fbo_;
  Texture colour_;
  int width_ = 0, height_ = 0;
};

// binds the window's framebuffer and sets the viewport
void bindScreen(int width, int height);
void clear(float r, float g, float b, float a);
// the A/B split view: draws go to the columns [x, x + w) of the bound framebuffer (pixels from the
// left, full height) and nothing outside them; unrestrict() returns to the whole framebuffer
void restrictToColumns(int x, int w, int height);
void unrestrict(int width, int height);
// "4.5 (Core Profile) Mesa ..., llvmpipe ..."
std::string contextDescription();

}  // namespace driftlab::app::gl
