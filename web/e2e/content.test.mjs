// Posts: the list, the editor (TipTap), live personal-data warnings with
// one-click anonymisation, autosave, revisions with diff and restore, and the
// review workflow. Needs the content API (/api/v1/posts) and the LGPD API
// (/api/v1/lgpd/analyze); skipped, saying so, on a server without them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PEOPLE, expectAccessible, expectClean, hasRoute, open, screens, signIn, useEnvironment } from './lib/setup.mjs';

let contentApi = false;
let lgpdApi = false;
const env = useEnvironment('content', async (ctx) => {
  contentApi = await hasRoute(ctx, 'GET', '/api/v1/posts');
  lgpdApi = await hasRoute(ctx, 'POST', '/api/v1/lgpd/analyze');
});

const CPF = '529.982.247-25';

describe('posts and the editor', () => {
  let postUrl = '';

  test('personal data is highlighted while typing and anonymised in one click', async (t) => {
    if (!lgpdApi) return t.skip('LGPD API (/api/v1/lgpd/analyze) not in this build');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.goto('/admin/posts/new');
    const body = page.getByRole('textbox', { name: 'Conteúdo' });
    await body.click();
    await page.keyboard.type(`Relato de caso: paciente com CPF ${CPF} e telefone (11) 98765-4321 melhorou.`);
    const mark = page.locator('.rich-content .pii-mark[data-pii="cpf"]');
    await mark.waitFor();
    assert.equal(await mark.innerText(), CPF);
    await page.getByLabel('Como anonimizar').selectOption('mask');
    await page.getByRole('button', { name: 'Anonimizar tudo' }).click();
    await page.getByText(/trecho\(s\) anonimizado\(s\)/).waitFor();
    const text = await body.innerText();
    assert.ok(!text.includes(CPF), 'the CPF left the text');
    assert.ok(text.startsWith('Relato de caso: paciente com CPF '), 'the rest of the text is kept');
    await page.locator('.rich-content .pii-mark').first().waitFor({ state: 'detached' });
    expectClean(page);
    await context.close();
  });

  test('the posts list', async (t) => {
    if (!contentApi) return t.skip('content API (/api/v1/posts) not in this build');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.getByRole('link', { name: 'Publicações' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publicações' }).waitFor();
    await page.getByText(/\d+ publicações/).waitFor();
    await expectAccessible(page, 'posts');
    await screens.shot(page, '20-posts');
    expectClean(page);
    await context.close();
  });

  test('writing a draft with a CPF: highlighted while typing, anonymised in one click, autosaved', async (t) => {
    if (!contentApi || !lgpdApi) return t.skip('content or LGPD API not in this build');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.goto('/admin/posts/new');
    await page.getByLabel('Título', { exact: true }).fill('Pressão alta: o que muda no dia a dia');
    const body = page.getByRole('textbox', { name: 'Conteúdo' });
    await body.click();
    await page.keyboard.type(`A paciente relatou melhora após ajustar a dieta. CPF ${CPF} informado na consulta.`);
    // The analyser answers while the author keeps the text on screen.
    const mark = page.locator('.rich-content .pii-mark[data-pii="cpf"]');
    await mark.waitFor();
    assert.equal(await mark.innerText(), CPF);
    await page.getByText(/ocorrência\(s\) de dados pessoais/).waitFor();
    await expectAccessible(page, 'editor with personal data');
    await screens.shot(page, '21-editor-pii');
    // Autosave created the draft and moved to its address.
    await page.waitForURL(/\/admin\/posts\/\d+$/);
    postUrl = new URL(page.url()).pathname;

    await page.getByRole('button', { name: 'Anonimizar tudo' }).click();
    await page.getByText(/trecho\(s\) anonimizado\(s\)/).waitFor();
    assert.ok(!(await body.innerText()).includes(CPF), 'the CPF left the text');
    await page.getByText('Nenhum dado pessoal encontrado.').waitFor();
    await page.getByText(/Salvo às/).waitFor();
    await screens.shot(page, '22-editor-anonymised');
    expectClean(page);
    await context.close();
  });

  test('revisions: compare with the previous one and restore', async (t) => {
    if (!contentApi || !postUrl) return t.skip('needs the draft of the previous test');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.goto(postUrl);
    await page.getByLabel('Título', { exact: true }).fill('Pressão alta: cuidados diários');
    await page.getByRole('button', { name: 'Salvar rascunho' }).click();
    await page.getByText(/Salvo às/).waitFor();
    const compare = page.getByRole('button', { name: 'Comparar com a anterior' }).first();
    await compare.waitFor();
    await compare.click();
    await page.getByRole('region', { name: /Diferenças entre as revisões/ }).waitFor();
    await expectAccessible(page, 'revisions diff');
    await screens.shot(page, '23-revisions-diff');
    await page.getByRole('button', { name: 'Restaurar esta revisão' }).last().click();
    await page.getByText('Revisão restaurada.').waitFor();
    expectClean(page);
    await context.close();
  });

  test('submitting the draft for review', async (t) => {
    if (!contentApi || !postUrl) return t.skip('needs the draft of the previous test');
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.goto(postUrl);
    await page.getByRole('button', { name: 'Enviar para revisão' }).click();
    await page.getByText('Situação alterada para Em revisão.').waitFor();
    expectClean(page);
    await context.close();
  });
});
