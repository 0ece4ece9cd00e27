// Runs one export of a plugin under the official Extism runtime:
//   node run.mjs plugin.wasm function [config-json] < input   (output on standard output)
import createPlugin from '@extism/extism';
import { readFileSync } from 'node:fs';

const [wasmPath, fn, configJson] = process.argv.slice(2);
const config = configJson ? JSON.parse(configJson) : {};
// A copy: a Buffer from fs may be a view into a larger pooled ArrayBuffer.
const input = Uint8Array.from(readFileSync(0));
// Plugin log lines go to standard error, keeping standard output for the output.
const toStderr = (...args) => process.stderr.write(args.join(' ') + '\n');
const logger = { trace: toStderr, debug: toStderr, info: toStderr, warn: toStderr, error: toStderr, log: toStderr };
const plugin = await createPlugin({ wasm: [{ data: readFileSync(wasmPath) }] }, { useWasi: false, config, logger });
const out = await plugin.call(fn, input);
process.stdout.write(out ? out.bytes() : new Uint8Array());
await plugin.close();
