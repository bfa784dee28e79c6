// Package pybridge is the in-process bridge between the Python package
// (pyflink_go) and the local engine (engine/local). It is the only package
// handed to gopy, which turns every exported function into a function of the
// Python extension module pyflink_go._native.
//
// Rules that keep the extension safe inside a Python interpreter:
//
//   - No exported types: gopy would wrap each one in a handle-based proxy class.
//   - Only exported functions with basic types or []byte; results are
//     0 or 1 values, or (T, error). Errors become Python RuntimeError.
//   - Every function recovers from panics and turns them into errors, because a
//     Go panic would otherwise abort the whole interpreter (or Jupyter kernel).
//   - No function returns an empty []byte: converting an empty gopy Slice_byte
//     to Python bytes panics inside the generated code.
//   - Nothing here calls back into Python, and nothing installs signal handlers.
package pybridge
