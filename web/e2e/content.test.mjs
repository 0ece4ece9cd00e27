// Posts: the list, the editor (TipTap), live personal-data warnings with
// one-click anonymisation, autosave, revisions with diff and restore, and the
// review workflow, against the content API (/api/v1/posts) and the LGPD API
// (/api/v1/lgpd/analyze).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PEOPLE, apiCall, apiToken, expectAccessible, expectClean, open, screens, signIn, useEnvironment,
} from './lib/setup.mjs';

const env = useEnvironment('content');

const CPF = '529.982.247-25';

describe('posts and the editor', () => {
  let postUrl = '';

  test('personal data is highlighted while typing and anonymised in one click', async () => {
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

  test('the posts list', async () => {
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

  test('writing a draft with a CPF: highlighted while typing, anonymised in one click, autosaved', async () => {
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

  test('revisions: compare with the previous one and restore', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    assert.ok(postUrl, 'the draft written by the previous test exists');
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

  test('submitting the draft for review', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    assert.ok(postUrl, 'the draft written by the previous test exists');
    await page.goto(postUrl);
    await page.getByRole('button', { name: 'Enviar para revisão' }).click();
    await page.getByText('Situação alterada para Em revisão.').waitFor();
    expectClean(page);
    await context.close();
  });

  test('posts list: filter by status and search', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.getByRole('link', { name: 'Publicações' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publicações' }).waitFor();
    const filters = page.getByRole('search', { name: /Filtros/ });
    await filters.getByLabel('Situação').selectOption('pending');
    await page.waitForURL(/status=pending/);
    const row = page.getByRole('row').filter({ hasText: 'Pressão alta' });
    await row.getByText('Em revisão').waitFor();
    await filters.getByLabel('Buscar').fill('inexistente');
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByText('Nenhuma publicação encontrada.').waitFor();
    await filters.getByLabel('Buscar').fill('pressão');
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await row.waitFor();
    assert.match(new URL(page.url()).search, /search=press/);
    await filters.getByLabel('Situação').selectOption('draft');
    await page.getByText('Nenhuma publicação encontrada.').waitFor();
    await expectAccessible(page, 'posts filtered');
    await screens.shot(page, '24-posts-filtered');
    expectClean(page);
    await context.close();
  });

  test('editor: Markdown, specialty, category, tag, compliance level and featured image are saved', async () => {
    // The practice's terms and an image, prepared through the APIs.
    const admin = await apiToken(env, PEOPLE.admin);
    await apiCall(env, admin, 'POST', '/wp-json/wp/v2/categories', { name: 'Prevenção' }, 201);
    await apiCall(env, admin, 'POST', '/wp-json/wp/v2/tags', { name: 'hipertensão' }, 201);
    const doctor = await apiToken(env, PEOPLE.doctor);
    await apiCall(env, doctor, 'POST', '/api/v1/media', {
      filename: 'consultorio.png', title: 'Consultório',
      data_base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    }, 201);

    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.goto('/admin/posts/new');
    await page.getByLabel('Título', { exact: true }).fill('Sal e pressão');
    await page.getByRole('button', { name: 'Markdown' }).click();
    const source = page.getByRole('textbox', { name: 'Conteúdo' });
    await source.fill('## Menos sal\n\nReduzir o **sal** ajuda a controlar a pressão.');
    await page.getByLabel('Nível de conformidade').selectOption('professional');
    await page.getByRole('group', { name: 'Especialidades médicas' }).getByRole('checkbox', { name: 'Cardiologia' }).check();
    await page.getByRole('group', { name: 'Categorias' }).getByRole('checkbox', { name: 'Prevenção' }).check();
    await page.getByRole('group', { name: 'Tags' }).getByRole('checkbox', { name: 'hipertensão' }).check();
    await page.getByLabel('Imagem destacada').selectOption({ label: 'Consultório' });
    await page.locator('img.featured-preview').waitFor();
    await page.getByRole('button', { name: 'Salvar rascunho' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+$/);
    await page.getByText(/Salvo às/).waitFor();
    await expectAccessible(page, 'editor settings');
    await screens.shot(page, '25-editor-settings');

    // What the server kept comes back in a fresh page.
    await page.reload();
    await page.getByLabel('Título', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Título', { exact: true }).inputValue(), 'Sal e pressão');
    assert.equal(await page.getByLabel('Nível de conformidade').inputValue(), 'professional');
    for (const [group, name] of [['Especialidades médicas', 'Cardiologia'], ['Categorias', 'Prevenção'], ['Tags', 'hipertensão']]) {
      assert.equal(await page.getByRole('group', { name: group }).getByRole('checkbox', { name }).isChecked(), true, name);
    }
    assert.notEqual(await page.getByLabel('Imagem destacada').inputValue(), '');
    // Saved as Markdown, so it opens in the Markdown source again.
    assert.equal(await page.getByRole('button', { name: 'Markdown' }).getAttribute('aria-pressed'), 'true');
    assert.match(await page.getByRole('textbox', { name: 'Conteúdo' }).inputValue(), /## Menos sal/);
    expectClean(page);
    await context.close();
  });

  test('the signed-in admin switches to English and back', async () => {
    const { context, page } = await open(env);
    await signIn(page, PEOPLE.doctor);
    await page.getByRole('button', { name: /EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Posts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Posts' }).waitFor();
    await page.getByText(/\d+ posts/).waitFor();
    await expectAccessible(page, 'posts (en)');
    await screens.shot(page, '26-posts-en');
    await page.getByRole('button', { name: /PT/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Publicações' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'pt-BR');
    expectClean(page);
    await context.close();
  });
});
