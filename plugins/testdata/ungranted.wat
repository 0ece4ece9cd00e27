;; Imports the personal-data host function, which its manifest must grant.
(module
  (import "hcms:host/env" "lgpd_scan" (func $scan (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "scan") (result i32)
    (drop (call $scan (call $alloc (i64.const 4))))
    (i32.const 0)))
