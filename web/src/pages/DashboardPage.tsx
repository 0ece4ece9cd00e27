// Dashboard: posts by status (GET /api/v1/posts?status=X, the totals), open and
// overdue data-subject requests (/api/v1/privacy/requests) and plugin health
// (/api/v1/plugins/status) for those allowed to see them. Each card reports
// its own problem (e.g. no permission) without hiding the others.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { PostPage, PostStatus } from '../api/types';
import { useAuth } from '../auth/session';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const STATUSES: PostStatus[] = ['draft', 'pending', 'approved', 'publish'];

interface PluginStatus {
  workers: number;
  items: { name: string; calls: number; errors: number; timeouts: number }[];
}

export function DashboardPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [counts, setCounts] = useState<Partial<Record<PostStatus, number>>>({});
  const [postsError, setPostsError] = useState<unknown>(null);
  const [requests, setRequests] = useState<{ open: number; overdue: number } | null>(null);
  const [requestsError, setRequestsError] = useState<unknown>(null);
  const [plugins, setPlugins] = useState<PluginStatus | null>(null);
  const [pluginsError, setPluginsError] = useState<unknown>(null);
  const admin = me?.role === 'super_admin' || me?.role === 'practice_admin';

  useEffect(() => {
    Promise.all(STATUSES.map((s) =>
      api.get<PostPage>('/api/v1/posts', { query: { status: s, per_page: 1 }, noStepUp: true }).then((r) => [s, r.total] as const)))
      .then((pairs) => setCounts(Object.fromEntries(pairs)), setPostsError);
    if (admin) {
      Promise.all(['open', 'overdue'].map((s) =>
        api.get<{ items: unknown[] }>('/api/v1/privacy/requests', { query: { status: s }, noStepUp: true }).then((r) => r.items.length)))
        .then(([open, overdue]) => setRequests({ open, overdue }), setRequestsError);
      api.get<PluginStatus>('/api/v1/plugins/status', { noStepUp: true }).then(setPlugins, setPluginsError);
    }
  }, [admin]);

  return (
    <>
      <PageHeader title={t('dashboard.title')} />
      {me ? <p>{t('dashboard.welcome', { name: me.user.name })}</p> : null}
      <div className="cards">
        <section className="card" aria-labelledby="dash-posts">
          <h2 id="dash-posts">{t('dash.posts')}</h2>
          <ProblemAlert error={postsError} />
          {!postsError ? (
            <dl className="facts">
              {STATUSES.map((s) => (
                <div key={s} className="fact-row">
                  <dt><Link to={`/posts?status=${s}`}>{t(`status.${s}` as MessageKey)}</Link></dt>
                  <dd className="stat">{counts[s] ?? '…'}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </section>
        {admin ? (
          <section className="card" aria-labelledby="dash-privacy">
            <h2 id="dash-privacy">{t('dash.privacy')}</h2>
            <ProblemAlert error={requestsError} />
            {requests ? (
              <p><Link to="/privacy">{t('dash.openRequests', { count: requests.open })}</Link>
                {requests.overdue > 0 ? <> · <span className="badge badge-danger">{t('dash.overdueRequests', { count: requests.overdue })}</span></> : null}</p>
            ) : null}
          </section>
        ) : null}
        {admin ? (
          <section className="card" aria-labelledby="dash-plugins">
            <h2 id="dash-plugins">{t('dash.plugins')}</h2>
            <ProblemAlert error={pluginsError} />
            {plugins ? (
              <>
                <p>{t('dash.workers', { count: plugins.workers })}</p>
                <ul>{plugins.items.map((p) => <li key={p.name}>{t('dash.pluginLine', p)}</li>)}</ul>
              </>
            ) : null}
          </section>
        ) : null}
      </div>
    </>
  );
}
