#version 330 core
// plain per-vertex colour (lines, arrows, trails)
in vec4 v_color;
out vec4 o_color;
void main() { o_color = v_color; }
