// The audit trail: filters (action, decision, user, period), newest first with
// "older entries" paging, and "verify the chain", which checks the hash chain
// and the signed checkpoints on the server.
// APIs: GET /api/v1/audit, POST /api/v1/audit/verify.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';

interface Entry {
  seq: number;
  id: string;
  at: string;
  actor_user_id: number | null;
  action: string;
  resource: string;
  decision: string;
  trust_score: number | null;
  ip: string;
  request_id: string;
}

interface Verify {
  ok: boolean;
  entries: number;
  checkpoints: number;
  first_bad_seq: number | null;
  problem: string;
  detail: string;
}

interface Filters {
  action: string;
  decision: string;
  actor: string;
  since: string;
  until: string;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : '');

export function AuditPage() {
  const { t, formatDate } = useI18n();
  const [filters, setFilters] = useState<Filters>({ action: '', decision: '', actor: '', since: '', until: '' });
  const [applied, setApplied] = useState<Filters>(filters);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [verify, setVerify] = useState<Verify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async (f: Filters, before?: number) => {
    setError(null);
    try {
      const r = await api.get<{ entries: Entry[]; next_before?: number }>('/api/v1/audit', {
        query: { action: f.action.trim(), decision: f.decision.trim(), actor: f.actor.trim(),
                 since: toIso(f.since), until: toIso(f.until), before, limit: 50 },
      });
      setEntries((prev) => (before && prev ? [...prev, ...r.entries] : r.entries));
      setNext(r.next_before);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setApplied({ ...filters });
  }

  async function runVerify() {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerify(await api.post<Verify>('/api/v1/audit/verify'));
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  }

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <>
      <PageHeader title={t('audit.title')}>
        <button type="button" className="button-primary" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </button>
      </PageHeader>
      <div role="status" aria-live="polite">
        {verify ? (
          verify.ok ? <p className="success">{t('audit.verifyOk', { entries: verify.entries, checkpoints: verify.checkpoints })}</p>
            : <p className="problem">{t('audit.verifyBad', { problem: verify.problem, seq: verify.first_bad_seq ?? '?', detail: verify.detail })}</p>
        ) : null}
      </div>
      <ProblemAlert error={verifyError} />
      <form className="toolbar" role="search" aria-label={t('audit.filters')} onSubmit={submit}>
        <Field label={t('audit.action')}><input value={filters.action} onChange={set('action')} placeholder="auth.login" /></Field>
        <Field label={t('audit.decision')}><input value={filters.decision} onChange={set('decision')} /></Field>
        <Field label={t('audit.actor')}><input value={filters.actor} onChange={set('actor')} inputMode="numeric" /></Field>
        <Field label={t('audit.since')}><input type="datetime-local" value={filters.since} onChange={set('since')} /></Field>
        <Field label={t('audit.until')}><input type="datetime-local" value={filters.until} onChange={set('until')} /></Field>
        <button type="submit">{t('audit.apply')}</button>
      </form>
      <ProblemAlert error={error} />
      {entries ? (
        entries.length === 0 ? <p>{t('audit.empty')}</p> : (
          <TableScroll label={t('audit.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('audit.colSeq')}</th>
                  <th scope="col">{t('audit.colAt')}</th>
                  <th scope="col">{t('audit.colActor')}</th>
                  <th scope="col">{t('audit.colAction')}</th>
                  <th scope="col">{t('audit.colResource')}</th>
                  <th scope="col">{t('audit.colDecision')}</th>
                  <th scope="col">{t('audit.colTrust')}</th>
                  <th scope="col">{t('audit.colIp')}</th>
                  <th scope="col">{t('audit.colRequest')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{formatDate(e.at)}</td>
                    <td>{e.actor_user_id ?? '—'}</td>
                    <td><code>{e.action}</code></td>
                    <td><code>{e.resource}</code></td>
                    <td>{e.decision}</td>
                    <td>{e.trust_score ?? '—'}</td>
                    <td>{e.ip || '—'}</td>
                    <td><code className="small">{e.request_id}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )
      ) : error ? null : <p role="status">{t('app.loading')}</p>}
      {next ? <button type="button" onClick={() => void load(applied, next)}>{t('audit.more')}</button> : null}
    </>
  );
}
