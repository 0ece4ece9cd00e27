// What every browser test file shares: one fresh hcms (its own temporary
// SQLite database) with the practice and the people of the scenarios, one
// Chromium, the screenshot folder, and assertion helpers.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { HcmsServer } from './server.mjs';
import { Screens, axeViolations, formatViolations, launchBrowser, newPage } from './browser.mjs';

export const OUT = resolve(process.env.HCMS_E2E_OUT || 'e2e-output');
export const screens = new Screens(OUT);

export const PEOPLE = {
  admin: { email: 'ana.admin@bemviver.test', name: 'Dra. Ana Lima', password: 'senha-forte-admin-1', role: 'admin' },
  doctor: { email: 'carlos.medico@bemviver.test', name: 'Dr. Carlos Souza', password: 'senha-forte-medico-1', role: 'doctor' },
  reviewer: { email: 'rita.revisora@bemviver.test', name: 'Rita Revisora', password: 'senha-forte-revisora-1', role: 'reviewer' },
};

// Starts the server and the browser for the calling test file; `ctx.server`
// and `ctx.browser` are set once `before` ran, after `setup(ctx)` (the file's
// own preparation, run in the same hook so it sees the server).
export function useEnvironment(name, setup) {
  const ctx = { server: null, browser: null };
  before(async () => {
    const server = new HcmsServer({ bin: process.env.HCMS_BIN, adminDir: process.env.HCMS_WEB_ADMIN_DIR });
    server.cli(['migrate']);
    server.cli(['tenant', 'create', '--slug', 'default', '--name', 'Clínica Bem Viver']);
    for (const p of Object.values(PEOPLE)) {
      const roleArgs = p.role === 'admin' ? ['--admin'] : ['--role', p.role];
      server.cli(['user', 'create', '--tenant', 'default', '--email', p.email, '--name', p.name,
                  ...roleArgs, '--password-stdin'], `${p.password}\n`);
    }
    await server.start();
    ctx.server = server;
    ctx.browser = await launchBrowser();
    if (setup) await setup(ctx);
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
    ctx.server?.saveLog(resolve(OUT, `${name}-server.log`));
    ctx.server?.cleanup();
  });
  return ctx;
}

export async function open(ctx, options) {
  return newPage(ctx.browser, ctx.server.url, options);
}

export async function expectAccessible(page, screen) {
  const vs = await axeViolations(page);
  assert.equal(vs.length, 0, `axe found serious/critical problems on ${screen}:\n${formatViolations(vs)}`);
}

export function expectClean(page) {
  assert.deepEqual(page.problems, [], 'the page logged errors or CSP violations');
}

// Signs in through the sign-in screen; `otp` answers the second step if asked.
export async function signIn(page, person, { otp } = {}) {
  await page.goto('/admin/login');
  await page.getByLabel('E-mail').fill(person.email);
  await page.getByLabel('Senha').fill(person.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  if (otp) {
    await page.getByLabel('Código do autenticador').fill(typeof otp === 'function' ? otp() : otp);
    await page.getByRole('button', { name: 'Verificar' }).click();
  }
  await page.getByRole('navigation', { name: 'Navegação principal' }).waitFor();
}

// Whether the server offers a route (404 not_found). Only scenario.test.mjs
// still asks; every other file expects all APIs in the build, so a missing or
// broken route fails the test.
export async function hasRoute(ctx, method, path) {
  const r = await fetch(`${ctx.server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
  });
  await r.arrayBuffer();
  return r.status !== 404 && r.status !== 405;
}

// Signs in through the API the way a script would; returns the bearer token
// (for preparing data a screen then shows).
export async function apiToken(ctx, person) {
  const r = await fetch(`${ctx.server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  return (await r.json()).access_token;
}

// A call to the native API with a bearer token; throws unless the status is `expect`.
export async function apiCall(ctx, token, method, path, body, expect = 200) {
  const r = await fetch(`${ctx.server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Saves a draft with `title`/`content` (runs are of stored posts: the pipeline
// reads the saved text), starts a pipeline run of it and waits (polling the run,
// no fixed sleep) until it leaves pending/running; returns the run.
export async function runPipeline(ctx, token, title, content) {
  const post = await apiCall(ctx, token, 'POST', '/api/v1/posts', { title, content }, 201);
  const run = await apiCall(ctx, token, 'POST', '/api/v1/pipeline/runs', { post_id: post.id }, 202);
  for (;;) {
    const now = await apiCall(ctx, token, 'GET', `/api/v1/pipeline/runs/${run.id}`);
    if (now.status !== 'pending' && now.status !== 'running') return now;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The build's WebAssembly plugins (test plugins included): next to the binary's
// build tree unless HCMS_PLUGIN_DIR says otherwise.
export function pluginDir() {
  return process.env.HCMS_PLUGIN_DIR || resolve(process.env.HCMS_BIN || '', '../../../plugins');
}

// Turns on MFA for a person the way an API client would; returns the TOTP key.
export async function enableMfa(ctx, person) {
  const { totp } = await import('./totp.mjs');
  const base = ctx.server.url;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const { access_token: token } = await login.json();
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const enroll = await fetch(`${base}/api/v1/auth/mfa/enroll`, { method: 'POST', headers: auth, body: '{}' });
  const { secret } = await enroll.json();
  const activate = await fetch(`${base}/api/v1/auth/mfa/activate`, {
    method: 'POST', headers: auth, body: JSON.stringify({ otp: totp(secret) }),
  });
  if (activate.status !== 200) throw new Error(`activate failed: ${activate.status}`);
  return secret;
}

// Clicks something that may need an MFA step-up: if the policy challenges,
// answers the dialog with the person's current TOTP code, then waits for `done`.
export async function withStepUp(page, click, done, code) {
  await click();
  const dialog = page.getByRole('dialog', { name: 'Confirme sua identidade' });
  await Promise.race([done.waitFor(), dialog.waitFor()]);
  if (await dialog.isVisible()) {
    await dialog.getByLabel('Código do autenticador').fill(code());
    await dialog.getByRole('button', { name: 'Confirmar' }).click();
    await done.waitFor();
  }
}
