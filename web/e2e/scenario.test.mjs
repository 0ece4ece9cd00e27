// The scenario of issue #7, end to end in the browser on a fresh database:
// a physician writes a draft containing a CPF and sees it highlighted,
// anonymises it, runs the compliance pipeline, sees "cura garantida" blocked
// (CFM), fixes the text, a reviewer approves the stages and the post, the
// physician publishes it (refused until then: the publish gate asks for a
// completed pipeline run of the current revision), and it is found on the
// public site with the pipeline's mandatory disclaimers. Every API it needs is
// in the build: a missing route fails the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PEOPLE, enableMfa, expectAccessible, expectClean, open, screens, signIn, useEnvironment, withStepUp,
} from './lib/setup.mjs';
import { totp } from './lib/totp.mjs';

const keys = {};
const env = useEnvironment('scenario', async (ctx) => {
  keys.admin = await enableMfa(ctx, PEOPLE.admin);
  keys.reviewer = await enableMfa(ctx, PEOPLE.reviewer);
  keys.doctor = await enableMfa(ctx, PEOPLE.doctor);
});

const TITLE = 'Hipertensão: como a dieta ajuda no controle';
const CPF = '529.982.247-25';

describe('from draft to the public site', () => {
  test('the whole scenario', async () => {
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
    expectClean(rp);
    await reviewer.context.close();

    // The physician publishes, signing in again on the computer they wrote on (a
    // known device counts towards the trust score of 85 publishing needs); the
    // completed run of this revision unlocks the publish gate.
    const device = (await doctor.context.cookies()).filter((c) => c.name === 'hcms_device');
    assert.equal(device.length, 1, 'the browser keeps its device id');
    await doctor.context.clearCookies();
    await doctor.context.addCookies(device);
    const pp = page;
    await signIn(pp, PEOPLE.doctor, { otp: code('doctor') });
    await pp.goto(postPath);
    await pp.getByRole('button', { name: 'Publicar', exact: true }).waitFor();
    assert.equal(await pp.getByTestId('publish-gate').count(), 0, 'no publish-gate warning once the run is complete');
    try {
      await withStepUp(pp, () => pp.getByRole('button', { name: 'Publicar', exact: true }).click(),
                       pp.getByText('Situação alterada para Publicado.'), code('doctor'));
    } catch (e) {
      await screens.shot(pp, '53-publish-refused');
      const why = await pp.getByRole('alert').allInnerTexts().catch(() => []);
      throw new Error(`publishing failed: ${why.join(' | ')}`, { cause: e });
    }
    await screens.shot(pp, '53-published');
    expectClean(pp);
    await doctor.context.close();

    // The public site lists it, and the post's page is the pipeline's package: the
    // mandatory disclaimers and the responsible physician, never the blocked claim.
    const home = await fetch(`${env.server.url}/`);
    assert.equal(home.status, 200);
    assert.ok((await home.text()).includes(TITLE), 'the post is on the public home page');
    const postId = postPath.split('/').pop();
    const wp = await (await fetch(`${env.server.url}/wp-json/wp/v2/posts/${postId}`)).json();
    const article = await fetch(new URL(new URL(wp.link).pathname, env.server.url));
    assert.equal(article.status, 200);
    const html = await article.text();
    assert.ok(html.includes('exclusivamente informativo'), 'the S.1.3 disclaimer is published');
    assert.ok(html.includes('Dra. Ana Lima'), 'the responsible physician is published');
    const claim = html.indexOf('cura garantida');
    assert.ok(claim < 0, `the blocked claim is not published: …${html.slice(Math.max(0, claim - 300), claim + 100)}…`);
  });
});
