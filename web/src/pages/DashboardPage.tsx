// Dashboard: posts by status (GET /api/v1/posts?status=X, the totals), pipeline
// runs waiting for a reviewer and recent compliance alerts (blocked runs; GET
// /api/v1/pipeline/runs?status=needs_approval|blocked), open and overdue
// data-subject requests (/api/v1/privacy/requests) and plugin health
// (/api/v1/plugins/status) for those allowed to see them. Each card reports
// its own problem (e.g. no permission) without hiding the others.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { PipelineRun, PostPage, PostStatus } from '../api/types';
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

type ListedRun = PipelineRun & { post_title: string };

// A short list of runs: the post, the stage concerned (awaiting approval or
// blocking) and when; each links to the run.
function RunList({ runs, stageStatus, empty }: { runs: ListedRun[]; stageStatus: string; empty: MessageKey }) {
  const { t, formatDate } = useI18n();
  if (runs.length === 0) return <p>{t(empty)}</p>;
  return (
    <ul className="run-list">
      {runs.map((r) => {
        const step = r.steps.find((s) => s.status === stageStatus);
        return (
          <li key={r.id}>
            <Link to={`/pipeline/runs/${r.id}`}>{r.post_title || t('posts.untitled')}</Link>
            {step ? <> — {t(`pipeline.stage.${step.stage}` as MessageKey)}</> : null}
            <br /><span className="muted">{formatDate(r.updated_at)}</span>
          </li>
        );
      })}
    </ul>
  );
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
  const [review, setReview] = useState<ListedRun[] | null>(null);
  const [alerts, setAlerts] = useState<ListedRun[] | null>(null);
  const [runsError, setRunsError] = useState<unknown>(null);
  const admin = me?.role === 'super_admin' || me?.role === 'practice_admin';
  // Runs list every author's titles: for those who review (review_content).
  const reviews = admin || me?.role === 'editor' || me?.role === 'doctor' || me?.role === 'reviewer';

  useEffect(() => {
    Promise.all(STATUSES.map((s) =>
      api.get<PostPage>('/api/v1/posts', { query: { status: s, per_page: 1 }, noStepUp: true }).then((r) => [s, r.total] as const)))
      .then((pairs) => setCounts(Object.fromEntries(pairs)), setPostsError);
    if (reviews) {
      Promise.all(['needs_approval', 'blocked'].map((s) =>
        api.get<{ items: ListedRun[] }>('/api/v1/pipeline/runs', { query: { status: s, limit: 5 }, noStepUp: true })
          .then((r) => r.items)))
        .then(([waiting, blocked]) => { setReview(waiting); setAlerts(blocked); }, setRunsError);
    }
    if (admin) {
      Promise.all(['open', 'overdue'].map((s) =>
        api.get<{ items: unknown[] }>('/api/v1/privacy/requests', { query: { status: s }, noStepUp: true }).then((r) => r.items.length)))
        .then(([open, overdue]) => setRequests({ open, overdue }), setRequestsError);
      api.get<PluginStatus>('/api/v1/plugins/status', { noStepUp: true }).then(setPlugins, setPluginsError);
    }
  }, [admin, reviews]);

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
        {reviews ? (
          <section className="card" aria-labelledby="dash-review">
            <h2 id="dash-review">{t('dash.review')}</h2>
            <ProblemAlert error={runsError} />
            {review ? <RunList runs={review} stageStatus="needs_approval" empty="dash.reviewEmpty" /> : null}
          </section>
        ) : null}
        {reviews ? (
          <section className="card" aria-labelledby="dash-alerts">
            <h2 id="dash-alerts">{t('dash.alerts')}</h2>
            {runsError ? <p className="muted">{t('dash.alertsUnavailable')}</p> : null}
            {alerts ? <RunList runs={alerts} stageStatus="failed" empty="dash.alertsEmpty" /> : null}
          </section>
        ) : null}
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
