// Runs one export of a plugin under the official Extism runtime:
//   node run.mjs plugin.wasm function < input   (the output goes to standard output)
import createPlugin from '@extism/extism';
import { readFileSync } from 'node:fs';

const [wasmPath, fn] = process.argv.slice(2);
// A copy: a Buffer from fs may be a view into a larger pooled ArrayBuffer.
const input = Uint8Array.from(readFileSync(0));
const plugin = await createPlugin({ wasm: [{ data: readFileSync(wasmPath) }] }, { useWasi: false });
const out = await plugin.call(fn, input);
process.stdout.write(out ? out.bytes() : new Uint8Array());
await plugin.close();
