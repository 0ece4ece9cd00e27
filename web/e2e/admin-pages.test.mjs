// Administration screens: users and roles, the audit trail with "verify the
// chain" (which needs trust 70: a password-only session is challenged and the
// step-up dialog asks for the TOTP code, then the action goes through), practice
// settings, plugins, the media library, and the dashboard with runs waiting for
// review and compliance alerts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OUT, PEOPLE, apiToken, enableMfa, expectAccessible, expectClean, open, pluginDir, runPipeline, screens, signIn,
  useEnvironment,
} from './lib/setup.mjs';
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
    await page.getByRole('cell', { name: 'auth.login' }).first().waitFor();
    await expectAccessible(page, 'audit');
    await screens.shot(page, '41-audit');
    // Filtering by action: only the verification just made is left.
    const filters = page.getByRole('search', { name: 'Filtros da auditoria' });
    await filters.getByLabel('Ação', { exact: true }).fill('audit.verify');
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByRole('cell', { name: 'auth.login' }).first().waitFor({ state: 'detached' });
    const actions = await page.locator('tbody tr td:nth-child(4)').allInnerTexts();
    assert.ok(actions.length > 0, 'the verification is in the trail');
    assert.deepEqual([...new Set(actions)], ['audit.verify']);
    expectClean(page);
    await context.close();
  });

  test('users and roles: invite a physician and confirm the registration', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('link', { name: 'Usuários e papéis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários e papéis' }).waitFor();
    // By accessible name: the visual " *" of required fields is aria-hidden.
    const invite = page.getByRole('form', { name: 'Convidar pessoa' });
    await invite.getByRole('textbox', { name: 'Nome', exact: true }).fill('Dra. Beatriz Nunes');
    await invite.getByRole('textbox', { name: 'E-mail', exact: true }).fill('beatriz@bemviver.test');
    await invite.getByRole('combobox', { name: 'Papel', exact: true }).selectOption('doctor');
    await invite.getByRole('textbox', { name: 'Número do registro' }).fill('123456');
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

  test('practice settings: responsible physician, opening hours and branding are saved', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('link', { name: 'Configurações da clínica' }).click();
    await page.getByRole('heading', { level: 1, name: 'Configurações da clínica' }).waitFor();
    const physician = page.getByRole('group', { name: 'Médico(a) responsável técnico(a)' });
    await physician.getByLabel('Nome').fill('Dra. Ana Lima');
    await physician.getByLabel('CRM').fill('123456');
    await physician.getByLabel('UF').fill('SP');
    await page.getByRole('checkbox', { name: 'Emergências' }).check();
    await page.getByRole('button', { name: 'Adicionar horário' }).click();
    await page.getByLabel('Dia (1)').selectOption('tue');
    await page.getByLabel('Abre às (1)').fill('08:30');
    await page.getByLabel('Fecha às (1)').fill('17:00');
    await page.getByLabel('Cor principal').fill('#0b5cad');
    await page.getByLabel('Frase de apresentação').fill('Cuidado perto de você');
    await page.getByRole('button', { name: 'Salvar configurações' }).click();
    await page.getByText('Configurações salvas.').waitFor();
    // What the server kept comes back after a reload.
    await page.reload();
    await page.getByLabel('Fecha às (1)').waitFor();
    assert.equal(await page.getByLabel('Dia (1)').inputValue(), 'tue');
    assert.equal(await page.getByLabel('Abre às (1)').inputValue(), '08:30');
    assert.equal(await page.getByLabel('Frase de apresentação').inputValue(), 'Cuidado perto de você');
    assert.equal(await page.getByRole('checkbox', { name: 'Emergências' }).isChecked(), true);
    await expectAccessible(page, 'settings');
    await screens.shot(page, '70-settings');
    expectClean(page);
    await context.close();
  });

  test('plugins: health of the built-in stages, upload, switch off for the practice', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('link', { name: 'Plugins', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Plugins' }).waitFor();
    await page.getByRole('cell', { name: 'hcms-s12-medical-claims embutido' }).waitFor();
    await page.getByLabel('Manifesto (JSON)').fill(JSON.stringify({
      name: 'eco-e2e', version: '1.0.0', functions: ['echo', 'greet'],
    }));
    await page.getByLabel('Módulo WebAssembly (.wasm)').setInputFiles(join(pluginDir(), 'echo.wasm'));
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.getByText('Plugin enviado.').waitFor();
    const toggle = page.getByRole('checkbox', { name: 'Ativar eco-e2e' });
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), true);
    // The box follows the server: it changes once the PATCH is answered.
    await toggle.click();
    await page.getByRole('checkbox', { name: 'Ativar eco-e2e', checked: false }).waitFor();
    await page.reload();
    await page.getByRole('checkbox', { name: 'Ativar eco-e2e' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Ativar eco-e2e' }).isChecked(), false);
    await expectAccessible(page, 'plugins');
    await screens.shot(page, '45-plugins');
    expectClean(page);
    await context.close();
  });

  test('media library: upload an image and see it listed', async () => {
    // A 1×1 PNG named .jpg: the server types it by its bytes.
    const file = join(OUT, 'sala-de-espera.jpg');
    writeFileSync(file, Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.getByRole('link', { name: 'Mídia' }).click();
    await page.getByRole('heading', { level: 1, name: 'Biblioteca de mídia' }).waitFor();
    await page.getByLabel(/^Arquivo/).setInputFiles(file);  // "Arquivo *": required
    await page.getByLabel('Título do arquivo').fill('Sala de espera');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.getByText('“Sala de espera” foi enviado para a biblioteca.').waitFor();
    const card = page.getByRole('listitem').filter({ hasText: 'Sala de espera' });
    await card.getByText('image/png').waitFor();
    // The file is served from /media with the type of its bytes.
    const served = await page.request.get(await card.locator('img').getAttribute('src'));
    assert.equal(served.status(), 200);
    assert.equal(served.headers()['content-type'], 'image/png');
    await expectAccessible(page, 'media');
    await screens.shot(page, '30-media');
    expectClean(page);
    await context.close();
  });

  test('dashboard: posts by status, runs waiting for review, compliance alerts, plugin health', async () => {
    // A run that waits for a reviewer and one the claims stage blocks.
    const token = await apiToken(env, PEOPLE.doctor);
    const waiting = await runPipeline(env, token, 'Caminhada e pressão',
                                      '<p>Estudos mostram que caminhar reduz a pressão.</p>');
    assert.equal(waiting.status, 'needs_approval');
    const blocked = await runPipeline(env, token, 'Tratamento milagroso',
                                      '<p>Tratamento com cura garantida em 7 dias.</p>');
    assert.equal(blocked.status, 'blocked');

    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: () => totp(secret) });
    await page.getByRole('heading', { level: 1, name: 'Painel' }).waitFor();
    const review = page.getByRole('region', { name: 'Aguardando revisão' });
    await review.getByRole('link', { name: 'Caminhada e pressão' }).waitFor();
    await review.getByText(/S\.1\.2 Alegações médicas/).waitFor();
    const alerts = page.getByRole('region', { name: 'Alertas de conformidade recentes' });
    await alerts.getByRole('link', { name: 'Tratamento milagroso' }).waitFor();
    const posts = page.getByRole('region', { name: 'Publicações por situação' });
    await posts.getByRole('link', { name: 'Rascunho' }).waitFor();
    const plugins = page.getByRole('region', { name: 'Saúde dos plugins' });
    await plugins.getByText(/hcms-s12-medical-claims: \d+ chamadas/).waitFor();
    await page.getByRole('region', { name: 'Solicitações de titulares' }).getByText(/em aberto/).waitFor();
    await expectAccessible(page, 'dashboard (admin)');
    await screens.shot(page, '12-dashboard-admin');
    // The alert leads to the run.
    await alerts.getByRole('link', { name: 'Tratamento milagroso' }).click();
    await page.waitForURL(new RegExp(`/admin/pipeline/runs/${blocked.id}$`));
    expectClean(page);
    await context.close();
  });
});
