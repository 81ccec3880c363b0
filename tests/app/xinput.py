#!/usr/bin/env python3
"""Real X input for the app tests that need a key or a click a --script cannot give (the app's
scripts drive the headless loop, which reads no keyboard): XTest events through ctypes on the
display in $DISPLAY (Xvfb). No packages beyond libX11 and libXtst, which Xvfb's GL stack brings.

usage: xinput.py STEP...   where STEP is
  sleep:S        wait S seconds
  move:X,Y       move the pointer to screen pixel (X, Y)
  click:B        press and release mouse button B (1 = left), held 0.25 s so a frame sees it
  key:NAME       press and release the key with X keysym NAME (e, F12, ...), held 0.25 s
  window:TITLE   wait (up to 60 s) until a top-level window whose title starts with TITLE exists
Exit status 2 when the display or the libraries cannot be opened."""
import ctypes
import ctypes.util
import sys
import time


def main(steps):
    try:
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
    except OSError as e:
        print(f"xinput.py: {e}", file=sys.stderr)
        return 2
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XStringToKeysym.restype = ctypes.c_ulong
    x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
    x11.XKeysymToKeycode.restype = ctypes.c_ubyte
    x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        print("xinput.py: cannot open the display", file=sys.stderr)
        return 2
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                               ctypes.POINTER(ctypes.c_uint)]
    x11.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    x11.XFree.argtypes = [ctypes.c_void_p]

    def titles():
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, n = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        if not x11.XQueryTree(dpy, x11.XDefaultRootWindow(dpy), ctypes.byref(root), ctypes.byref(parent),
                              ctypes.byref(children), ctypes.byref(n)):
            return []
        out = []
        for i in range(n.value):
            name = ctypes.c_char_p()
            if x11.XFetchName(dpy, children[i], ctypes.byref(name)) and name.value is not None:
                out.append(name.value.decode(errors="replace"))
        if n.value:
            x11.XFree(children)
        return out

    hold = 0.25
    for step in steps:
        verb, _, arg = step.partition(":")
        if verb == "sleep":
            time.sleep(float(arg))
        elif verb == "move":
            x, y = (int(v) for v in arg.split(","))
            xtst.XTestFakeMotionEvent(dpy, -1, x, y, 0)
            x11.XFlush(dpy)
        elif verb == "click":
            button = int(arg)
            xtst.XTestFakeButtonEvent(dpy, button, 1, 0)
            x11.XFlush(dpy)
            time.sleep(hold)
            xtst.XTestFakeButtonEvent(dpy, button, 0, 0)
            x11.XFlush(dpy)
        elif verb == "key":
            code = x11.XKeysymToKeycode(dpy, x11.XStringToKeysym(arg.encode()))
            if code == 0:
                print(f"xinput.py: no key code for '{arg}'", file=sys.stderr)
                return 2
            xtst.XTestFakeKeyEvent(dpy, code, 1, 0)
            x11.XFlush(dpy)
            time.sleep(hold)
            xtst.XTestFakeKeyEvent(dpy, code, 0, 0)
            x11.XFlush(dpy)
        elif verb == "window":
            deadline = time.time() + 60
            while not any(t.startswith(arg) for t in titles()):
                if time.time() > deadline:
                    print(f"xinput.py: no window '{arg}' after 60 s", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        else:
            print(f"xinput.py: unknown step '{step}'", file=sys.stderr)
            return 2
    x11.XCloseDisplay(dpy)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
