// Administration screens: users and roles, and the audit trail with "verify
// the chain" (which needs trust 70: a password-only session is challenged and
// the step-up dialog asks for the TOTP code, then the action goes through).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PEOPLE, enableMfa, expectAccessible, expectClean, hasRoute, open, screens, signIn, useEnvironment } from './lib/setup.mjs';
import { totp } from './lib/totp.mjs';

let secret = '';
const env = useEnvironment('admin-pages', async (ctx) => {
  secret = await enableMfa(ctx, PEOPLE.admin);
});

describe('administration', () => {
  test('audit trail: verify the chain after an MFA step-up', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('link', { name: 'Auditoria' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trilha de auditoria' }).waitFor();
    await page.getByRole('button', { name: 'Verificar a cadeia' }).click();
    // Either the session is trusted enough already, or the policy asks for a step-up.
    const ok = page.getByText(/Cadeia íntegra: \d+ registros/);
    const dialog = page.getByRole('dialog', { name: 'Confirme sua identidade' });
    await Promise.race([ok.waitFor(), dialog.waitFor()]);
    if (await dialog.isVisible()) {
      await screens.shot(page, '40-step-up');
      await dialog.getByLabel('Código do autenticador').fill(totp(secret));
      await dialog.getByRole('button', { name: 'Confirmar' }).click();
      await ok.waitFor();
    }
    if (await hasRoute(env, 'GET', '/api/v1/audit')) {
      await page.getByRole('cell', { name: 'auth.login' }).first().waitFor();
    }
    await expectAccessible(page, 'audit');
    await screens.shot(page, '41-audit');
    expectClean(page);
    await context.close();
  });

  test('users and roles: invite a physician and confirm the registration', async (t) => {
    if (!(await hasRoute(env, 'GET', '/api/v1/users'))) return t.skip('users API (/api/v1/users) not in this build');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('link', { name: 'Usuários e papéis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários e papéis' }).waitFor();
    await page.getByLabel('Nome', { exact: true }).fill('Dra. Beatriz Nunes');
    await page.getByLabel('E-mail').fill('beatriz@bemviver.test');
    await page.getByLabel('Papel', { exact: true }).selectOption('doctor');
    await page.getByLabel('Número do registro').fill('123456');
    await page.getByRole('button', { name: 'Convidar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirme sua identidade' });
    const created = page.getByText(/Dra\. Beatriz Nunes foi convidado\(a\)/);
    await Promise.race([created.waitFor(), dialog.waitFor()]);
    if (await dialog.isVisible()) {
      await dialog.getByLabel('Código do autenticador').fill(totp(secret));
      await dialog.getByRole('button', { name: 'Confirmar' }).click();
      await created.waitFor();
    }
    await page.getByRole('button', { name: 'Confirmar registro — Dra. Beatriz Nunes' }).click();
    await page.getByText('Alterações salvas para Dra. Beatriz Nunes.').waitFor();
    await expectAccessible(page, 'users');
    await screens.shot(page, '42-users');
    expectClean(page);
    await context.close();
  });

  test('a reader does not see the administration menu', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    const nav = page.getByRole('navigation', { name: 'Navegação principal' });
    assert.equal(await nav.getByRole('link', { name: 'Usuários e papéis' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Auditoria' }).count(), 0);
    expectClean(page);
    await context.close();
  });
});
