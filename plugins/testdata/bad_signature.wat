;; Imports a kernel function with the wrong type: refused at upload.
(module
  (import "extism:host/env" "input_length" (func $len (result i32)))
  (func (export "run") (result i32) (call $len)))
