// The admin shell: how /admin is served, the sign-in screen, the language
// switch, deep links and error display.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, expectClean, open, screens, useEnvironment } from './lib/setup.mjs';

const env = useEnvironment('admin');

describe('serving /admin', () => {
  test('index.html: strict CSP, no-cache, ETag; hashed assets immutable; 304 on revalidation', async () => {
    const base = env.server.url;
    const r = await fetch(`${base}/admin`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await r.text();
    const script = html.match(/src="(\/admin\/assets\/[^"]+\.js)"/);
    assert.ok(script, 'index.html loads a hashed script');

    const js = await fetch(`${base}${script[1]}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const etag = js.headers.get('etag');
    assert.ok(etag);
    await js.arrayBuffer();
    const again = await fetch(`${base}${script[1]}`, {
      headers: { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' },
    });
    assert.equal(again.status, 304);
  });

  test('deep links get the application; a missing asset is a 404 problem, not HTML', async () => {
    const base = env.server.url;
    const deep = await fetch(`${base}/admin/posts/42/revisions`);
    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /<div id="root">/);
    const missing = await fetch(`${base}/admin/assets/nope-123.js`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json');
    const body = await missing.json();
    assert.equal(body.code, 'not_found');
    assert.ok(body.request_id);
  });
});

describe('application shell', () => {
  test('sign-in screen in pt-BR: labelled fields, keyboard order, no axe violations', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/');
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'pt-BR');
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    assert.match(await page.title(), /Entrar/);
    // Every control is reachable by keyboard, in reading order.
    await page.getByLabel('E-mail').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'password');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Entrar');
    await expectAccessible(page, 'login');
    await screens.shot(page, '01-login');
    expectClean(page);
    await context.close();
  });

  test('the language switch turns the admin to English and is remembered', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/login');
    await page.getByRole('button', { name: /EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getByRole('button', { name: /EN/ }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').waitFor();
    await expectAccessible(page, 'login (en)');
    await screens.shot(page, '02-login-en');
    await page.getByRole('button', { name: /PT/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    expectClean(page);
    await context.close();
  });

  test('a deep link while signed out leads to sign-in', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/posts/42');
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    expectClean(page);
    await context.close();
  });

  test('a refused sign-in shows the problem title, detail and request id', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/login');
    await page.getByLabel('E-mail').fill('ninguem@example.com');
    await page.getByLabel('Senha').fill('senha-errada-123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Código da requisição: \S+/);
    await expectAccessible(page, 'login error');
    await screens.shot(page, '03-login-error');
    expectClean(page);
    await context.close();
  });
});
