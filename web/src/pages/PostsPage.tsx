// Posts list: filters (status, type, search) kept in the URL, a table, and
// pagination. API: GET /api/v1/posts?status=&type=&search=&page=&per_page=.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { PostPage, PostStatus } from '../api/types';
import { POST_STATUSES } from '../api/types';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const PER_PAGE = 20;

export function PostsPage() {
  const { t, formatDate } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? 'post';
  const search = params.get('search') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [draftSearch, setDraftSearch] = useState(search);
  const [data, setData] = useState<PostPage | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    api
      .get<PostPage>('/api/v1/posts', {
        query: { status, type, search, page, per_page: PER_PAGE },
        signal: ctrl.signal,
      })
      .then(setData, (e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [status, type, search, page]);

  function update(next: Record<string, string>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    update({ search: draftSearch.trim() });
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / PER_PAGE)) : 1;

  return (
    <>
      <PageHeader title={t('posts.title')}>
        <Link className="button button-primary" to="/posts/new">{t('posts.new')}</Link>
      </PageHeader>
      <form className="toolbar" role="search" aria-label={t('posts.filters')} onSubmit={submit}>
        <Field label={t('posts.status')}>
          <select value={status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t('posts.anyStatus')}</option>
            {POST_STATUSES.map((s: PostStatus) => (
              <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>
            ))}
          </select>
        </Field>
        <Field label={t('posts.type')}>
          <select value={type} onChange={(e) => update({ type: e.target.value })}>
            <option value="post">{t('posts.typePost')}</option>
            <option value="page">{t('posts.typePage')}</option>
          </select>
        </Field>
        <Field label={t('posts.search')}>
          <input type="search" value={draftSearch} onChange={(e) => setDraftSearch(e.target.value)} />
        </Field>
        <button type="submit">{t('posts.apply')}</button>
      </form>
      <ProblemAlert error={error} />
      {data ? (
        <>
          <p className="muted" role="status">{t('posts.count', { count: data.total })}</p>
          {data.items.length === 0 ? (
            <p>{t('posts.empty')}</p>
          ) : (
            <TableScroll label={t('posts.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('posts.colTitle')}</th>
                  <th scope="col">{t('posts.colStatus')}</th>
                  <th scope="col">{t('posts.colCompliance')}</th>
                  <th scope="col">{t('posts.colModified')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.id}>
                    <td><Link to={`/posts/${p.id}`}>{p.title || t('posts.untitled')}</Link></td>
                    <td><StatusBadge status={p.status} /></td>
                    <td>{t(`compliance.${p.compliance_level}` as MessageKey)}</td>
                    <td>{formatDate(p.modified_gmt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableScroll>
          )}
          {pages > 1 ? (
            <nav className="pagination" aria-label={t('posts.pagination')}>
              <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                {t('posts.previous')}
              </button>
              <span>{t('posts.pageOf', { page, pages })}</span>
              <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
                {t('posts.next')}
              </button>
            </nav>
          ) : null}
        </>
      ) : error ? null : <p role="status">{t('app.loading')}</p>}
    </>
  );
}
