;; Test guest that misbehaves on purpose: every export attacks one limit of the host.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (memory (export "memory") 1)

  ;; Never returns.
  (func (export "spin") (result i32)
    (loop $forever (br $forever))
    (i32.const 0))

  ;; Grows linear memory until the host refuses, then keeps asking.
  (func (export "grow_bomb") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable)

  ;; Asks the kernel for 1 GiB.
  (func (export "kernel_bomb") (result i32)
    (drop (call $alloc (i64.const 1073741824)))
    (i32.const 0))

  ;; Unbounded recursion.
  (func $recurse (export "recurse") (result i32)
    (i32.add (call $recurse) (i32.const 1)))

  ;; An output of 8 MiB (over the 4 MiB default cap).
  (func (export "huge_output") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 8388608)))
    (call $output_set (local.get $h) (i64.const 8388608))
    (i32.const 0))

  ;; Passes a made-up handle to the kernel.
  (func (export "bad_handle") (result i32)
    (drop (call $load_u64 (i64.const 0x7fff0000)))
    (i32.const 0))

  ;; Writes past the end of a block it owns.
  (func (export "block_overrun") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (i64.add (local.get $h) (i64.const 12)) (i64.const 1))
    (i32.const 0))

  ;; Reads outside its own linear memory.
  (func (export "oob_memory") (result i32)
    (i32.load (i32.const 0xfffffff0)))

  ;; Divides by zero.
  (func (export "div_zero") (result i32)
    (i32.div_u (i32.wrap_i64 (call $input_length)) (i32.const 0)))
)
