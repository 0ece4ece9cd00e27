// The scenario of issue #7, end to end in the browser on a fresh database:
// a physician writes a draft containing a CPF and sees it highlighted,
// anonymises it, runs the compliance pipeline, sees "cura garantida" blocked
// (CFM), fixes the text, a reviewer approves the stages, the post is
// published, and it is found on the public site. Needs the content, LGPD and
// pipeline APIs; skipped, saying which is missing, on a server without them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PEOPLE, enableMfa, expectAccessible, expectClean, hasRoute, open, screens, signIn, useEnvironment, withStepUp,
} from './lib/setup.mjs';
import { totp } from './lib/totp.mjs';

const missing = [];
const keys = {};
const env = useEnvironment('scenario', async (ctx) => {
  for (const [name, method, path] of [['content', 'GET', '/api/v1/posts'], ['LGPD', 'POST', '/api/v1/lgpd/analyze'],
    ['pipeline', 'POST', '/api/v1/pipeline/runs']]) {
    if (!(await hasRoute(ctx, method, path))) missing.push(`${name} (${path})`);
  }
  if (missing.length === 0) {
    keys.admin = await enableMfa(ctx, PEOPLE.admin);
    keys.reviewer = await enableMfa(ctx, PEOPLE.reviewer);
    keys.doctor = await enableMfa(ctx, PEOPLE.doctor);
  }
});

const TITLE = 'Hipertensão: como a dieta ajuda no controle';
const CPF = '529.982.247-25';

describe('from draft to the public site', () => {
  test('the whole scenario', async (t) => {
    if (missing.length) return t.skip(`API not in this build: ${missing.join(', ')}`);
    const code = (who) => () => totp(keys[who]);

    // The administrator sets the responsible physician the pipeline prints.
    {
      const { context, page } = await open(env);
      await signIn(page, PEOPLE.admin, { otp: code('admin') });
      await page.getByRole('link', { name: 'Configurações da clínica' }).click();
      await page.getByRole('heading', { level: 1, name: 'Configurações da clínica' }).waitFor();
      const physician = page.getByRole('group', { name: 'Médico(a) responsável técnico(a)' });
      await physician.getByLabel('Nome').fill('Dra. Ana Lima');
      await physician.getByLabel('CRM').fill('123456');
      await physician.getByLabel('UF').fill('SP');
      await withStepUp(page, () => page.getByRole('button', { name: 'Salvar configurações' }).click(),
                       page.getByText('Configurações salvas.'), code('admin'));
      await expectAccessible(page, 'settings');
      await screens.shot(page, '50-settings');
      expectClean(page);
      await context.close();
    }

    // The physician writes; the CPF is highlighted, then anonymised.
    const doctor = await open(env);
    const page = doctor.page;
    await signIn(page, PEOPLE.doctor, { otp: code('doctor') });
    await page.goto('/admin/posts/new');
    await page.getByLabel('Título', { exact: true }).fill(TITLE);
    const body = page.getByRole('textbox', { name: 'Conteúdo' });
    await body.click();
    await page.keyboard.type(`Com dieta e exercício, a pressão cai. Tratamento com cura garantida em 30 dias. Paciente de CPF ${CPF} relatou melhora.`);
    await page.locator('.rich-content .pii-mark[data-pii="cpf"]').waitFor();
    await page.waitForURL(/\/admin\/posts\/\d+$/);
    const postPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Anonimizar tudo' }).click();
    await page.getByText('Nenhum dado pessoal encontrado.').waitFor();
    assert.ok(!(await body.innerText()).includes(CPF));

    // The pipeline blocks the CFM claim.
    await page.getByRole('button', { name: 'Executar o pipeline de conformidade' }).click();
    await page.getByRole('heading', { level: 1, name: 'Execução do pipeline' }).waitFor();
    await page.getByTestId('run-status').filter({ hasText: 'bloqueado' }).waitFor();
    const claims = page.locator('[data-stage="s1.2"]');
    await claims.getByText(/cura garantida/i).first().waitFor();
    await expectAccessible(page, 'pipeline blocked');
    await screens.shot(page, '51-pipeline-blocked');

    // The physician fixes the text and runs it again.
    await page.getByRole('link', { name: 'Voltar à publicação' }).click();
    await body.waitFor();
    await body.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Com dieta e exercício, a pressão arterial tende a cair. O tratamento é individual e acompanhado pelo médico.');
    await page.getByRole('button', { name: 'Executar o pipeline de conformidade' }).click();
    await page.getByRole('heading', { level: 1, name: 'Execução do pipeline' }).waitFor();
    const status = page.getByTestId('run-status');
    await status.filter({ hasText: /aguardando revisão|concluído/ }).waitFor();
    const runPath = new URL(page.url()).pathname;
    await page.goto(postPath);
    await page.getByRole('button', { name: 'Enviar para revisão' }).click();
    await page.getByText('Situação alterada para Em revisão.').waitFor();
    expectClean(page);
    await doctor.context.close();

    // The reviewer approves the stages waiting for review, then the post.
    const reviewer = await open(env);
    const rp = reviewer.page;
    await signIn(rp, PEOPLE.reviewer, { otp: code('reviewer') });
    await rp.goto(runPath);
    await rp.getByRole('heading', { level: 1, name: 'Execução do pipeline' }).waitFor();
    for (let i = 0; i < 5; i++) {
      const approve = rp.getByRole('button', { name: /^Aprovar etapa/ }).first();
      if ((await approve.count()) === 0) break;
      await Promise.all([
        rp.waitForResponse((r) => /\/steps\/[^/]+\/approve$/.test(new URL(r.url()).pathname)),
        approve.click(),
      ]);
    }
    await rp.getByTestId('run-status').filter({ hasText: 'concluído' }).waitFor();
    await screens.shot(rp, '52-pipeline-approved');
    await rp.goto(postPath);
    await withStepUp(rp, () => rp.getByRole('button', { name: 'Aprovar', exact: true }).click(),
                     rp.getByText('Situação alterada para Aprovado.'), code('reviewer'));
    await withStepUp(rp, () => rp.getByRole('button', { name: 'Publicar', exact: true }).click(),
                     rp.getByText('Situação alterada para Publicado.'), code('reviewer'));
    await screens.shot(rp, '53-published');
    expectClean(rp);
    await reviewer.context.close();

    // The public site lists it.
    const home = await fetch(`${env.server.url}/`);
    assert.equal(home.status, 200);
    assert.ok((await home.text()).includes(TITLE), 'the post is on the public home page');
  });
});
