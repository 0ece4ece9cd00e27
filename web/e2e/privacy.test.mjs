// Consent and data-subject requests: an administrator (with MFA: these are
// patient_data, trust 75) registers a request received by e-mail and sees it
// with its 15-day deadline, starts the review, then records and revokes the
// person's consent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PEOPLE, enableMfa, expectAccessible, expectClean, open, screens, signIn, useEnvironment, withStepUp,
} from './lib/setup.mjs';
import { totp } from './lib/totp.mjs';

let secret = '';
const env = useEnvironment('privacy', async (ctx) => {
  secret = await enableMfa(ctx, PEOPLE.admin);
});

describe('consent and data subjects', () => {
  test('registering a data-subject request shows it with its deadline', async () => {
    const code = () => totp(secret);
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.admin, { otp: code });
    await page.getByRole('link', { name: 'Consentimentos e titulares' }).click();
    await page.getByRole('heading', { level: 1, name: 'Consentimentos e titulares' }).waitFor();
    await page.getByLabel('Nome completo').fill('Maria Titular');
    await page.getByLabel('E-mail', { exact: true }).fill('maria.titular@example.com');
    await page.getByLabel('Solicitação', { exact: true }).selectOption('access');
    await withStepUp(page, () => page.getByRole('button', { name: 'Registrar', exact: true }).click(),
                     page.getByText('Solicitação registrada; prazo legal de 15 dias.'), code);
    const row = page.getByRole('row').filter({ hasText: 'Acesso' });
    await row.getByText(/dia\(s\) restantes/).waitFor();
    assert.match(await row.innerText(), /1[45] dia\(s\) restantes/);
    await expectAccessible(page, 'privacy');
    await screens.shot(page, '60-privacy');
    await row.getByRole('button', { name: 'Iniciar análise' }).click();
    await page.getByText('Solicitação atualizada.').waitFor();

    // The same person's consent records: record one, then revoke it.
    const subjectId = (await row.locator('code').innerText()).trim();
    const consents = page.getByRole('region', { name: 'Consentimentos de um titular' });
    await consents.getByLabel('Identificador do titular').fill(subjectId);
    await consents.getByRole('button', { name: 'Consultar' }).click();
    await withStepUp(page, () => consents.getByRole('button', { name: 'Registrar consentimento' }).click(),
                     consents.getByRole('listitem').filter({ hasText: 'newsletter' }), code);
    const consent = consents.getByRole('listitem').filter({ hasText: 'newsletter' });
    await consent.getByText(/dado em/).waitFor();
    await consent.getByRole('button', { name: 'Revogar — newsletter' }).click();
    await consent.getByText(/revogado em/).waitFor();
    await expectAccessible(page, 'privacy consents');
    await screens.shot(page, '61-privacy-consents');
    expectClean(page);
    await context.close();
  });
});
