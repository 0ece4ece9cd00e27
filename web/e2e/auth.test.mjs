// Signing in and out, two-step verification (TOTP enrolment, then the second
// step at sign-in, recovery codes), and an ended session sending the person
// back to sign-in with a message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PEOPLE, expectAccessible, expectClean, open, screens, signIn, useEnvironment } from './lib/setup.mjs';
import { totp } from './lib/totp.mjs';

const env = useEnvironment('auth');

describe('sign-in, MFA and sessions', () => {
  let secret = '';
  let recovery = [];

  test('an administrator signs in and sees the dashboard', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin);
    await page.getByRole('heading', { level: 1, name: 'Painel' }).waitFor();
    await page.getByText(`Olá, ${PEOPLE.admin.name}.`).waitFor();
    const cookies = await context.cookies();
    const access = cookies.find((c) => c.name === 'hcms_access');
    assert.ok(access?.httpOnly, 'the access token is an HttpOnly cookie');
    assert.equal(access.sameSite, 'Strict');
    await expectAccessible(page, 'dashboard');
    await screens.shot(page, '10-dashboard');
    expectClean(page);
    await context.close();
  });

  test('turning on two-step verification shows the key and the recovery codes', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin);
    await page.getByRole('link', { name: PEOPLE.admin.name }).click();
    await page.getByRole('heading', { level: 1, name: 'Minha conta' }).waitFor();
    await page.getByRole('button', { name: 'Ativar verificação em duas etapas' }).click();
    secret = (await page.getByTestId('mfa-secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]+=*$/);
    await page.getByLabel('Código do autenticador').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirmar e ativar' }).click();
    await page.getByText('Verificação em duas etapas ativada.').waitFor();
    recovery = (await page.getByTestId('recovery-codes').locator('code').allInnerTexts()).map((s) => s.trim());
    assert.ok(recovery.length >= 5, 'recovery codes are shown');
    await page.getByText(/^Ativada\./).waitFor();
    await expectAccessible(page, 'account');
    await screens.shot(page, '11-account-mfa');
    expectClean(page);
    await context.close();
  });

  test('signing in now asks for the authenticator code; a wrong code is refused', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/login');
    await page.getByLabel('E-mail').fill(PEOPLE.admin.email);
    await page.getByLabel('Senha').fill(PEOPLE.admin.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verificação em duas etapas' }).waitFor();
    await expectAccessible(page, 'login mfa');
    await screens.shot(page, '04-login-mfa');
    const wrong = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Código do autenticador').fill(wrong);
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Código da requisição/);
    await page.getByLabel('Código do autenticador').fill(totp(secret));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Painel' }).waitFor();
    expectClean(page);
    await context.close();
  });

  test('a recovery code also completes the second step', async () => {
    const { context, page } = await open(env);
    await page.goto('/admin/login');
    await page.getByLabel('E-mail').fill(PEOPLE.admin.email);
    await page.getByLabel('Senha').fill(PEOPLE.admin.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('button', { name: 'Usar um código de recuperação' }).click();
    await page.getByLabel('Código de recuperação').fill(recovery[0]);
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Painel' }).waitFor();
    expectClean(page);
    await context.close();
  });

  test('logging out returns to sign-in; the old cookies no longer work', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByText('Você saiu do painel.').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
    expectClean(page);
    await context.close();
  });

  test('an ended session sends the person back to sign-in with a message', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.reviewer);
    await page.getByRole('link', { name: PEOPLE.reviewer.name }).click();
    await page.getByRole('heading', { level: 2, name: 'Sessões ativas' }).waitFor();
    // The session ends elsewhere (cookies gone, as after expiry): the next call
    // to the API cannot be renewed.
    await context.clearCookies();
    await page.getByRole('link', { name: 'Painel' }).click();
    const expired = page.getByText('Sua sessão expirou. Entre novamente para continuar.');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    if (!(await expired.isVisible())) {
      // The dashboard's reads may all be public on this server; the account page's are not.
      await page.getByRole('link', { name: PEOPLE.reviewer.name }).click({ timeout: 5000 }).catch(() => {});
    }
    await expired.waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    await signIn(page, PEOPLE.reviewer);
    expectClean(page);
    await context.close();
  });
});
