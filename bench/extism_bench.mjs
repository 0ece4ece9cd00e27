// The built-in stage plugins under the official Extism runtime (@extism/extism on
// Node 20, i.e. V8), for comparison with bench/plugins_bench.cc. S.1.1 is left out:
// its host function (the native LGPD detector) exists only in hcms.
//
//   npm ci --prefix tests/extism && node bench/extism_bench.mjs build/release/plugins
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/extism/package.json'));
const { default: createPlugin } = await import(require.resolve('@extism/extism'));

const dir = process.argv[2] ?? path.join(here, '../build/release/plugins');
const one = readFileSync(path.join(here, 'data/article_pt_br.html'), 'utf8');
let article = '';
while (Buffer.byteLength(article) < 10 * 1024) article += one;
article = Buffer.from(article).subarray(0, 10 * 1024 - 200).toString('utf8') + '</p>';

const doc = {
  post: { id: 42, title: 'Hipertensão arterial: guia para pacientes', content: article,
          url: 'https://clinica.example/hipertensao', published_at: '2026-11-20T10:00:00Z',
          modified_at: '2026-11-24T10:00:00Z' },
  practice: { name: 'Clínica Coração', url: 'https://clinica.example',
              disclaimers: ['informative', 'emergency', 'dates'],
              physician: { name: 'Ana Souza', crm: '123456', uf: 'SP', rqe: '5555',
                           specialty: 'Cardiologia', gender: 'f' } },
  previous: {},
};

const stages = [
  ['s1.2', 's12_medical_claims', 'validate'],
  ['s1.3', 's13_transform', 'transform'],
  ['s1.4', 's14_legal_review', 'prepare'],
  ['s1.5', 's15_packaging', 'package'],
];
const quiet = () => {};
const logger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet };
const plugins = {};
for (const [, name] of stages) {
  plugins[name] = await createPlugin(
    { wasm: [{ data: readFileSync(path.join(dir, `${name}.wasm`)) }] }, { useWasi: false, logger });
}
const echo = await createPlugin({ wasm: [{ data: readFileSync(path.join(dir, 'echo.wasm')) }] },
                                { useWasi: false, logger });

async function timeIt(label, iterations, fn) {
  for (let i = 0; i < Math.min(50, iterations); ++i) await fn();  // warm-up (tier-up)
  const samples = [];
  for (let i = 0; i < iterations; ++i) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${label.padEnd(28)} median ${(median * 1000).toFixed(1).padStart(9)} us  ` +
              `p90 ${(samples[Math.floor(samples.length * 0.9)] * 1000).toFixed(1)} us`);
}

await timeIt('extism call overhead (echo)', 2000, () => echo.call('echo', ''));
const inputs = [];
let d = structuredClone(doc);
for (const [id, name, fn] of stages) {
  const input = JSON.stringify(d);
  inputs.push(input);
  d.previous[id] = JSON.parse((await plugins[name].call(fn, input)).text());
}
for (let i = 0; i < stages.length; ++i) {
  const [id, name, fn] = stages[i];
  await timeIt(`extism stage ${id}`, 300, () => plugins[name].call(fn, inputs[i]));
}
await timeIt('extism pipeline s1.2-s1.5', 200, async () => {
  const x = structuredClone(doc);
  for (const [id, name, fn] of stages) {
    x.previous[id] = JSON.parse((await plugins[name].call(fn, JSON.stringify(x))).text());
  }
});
