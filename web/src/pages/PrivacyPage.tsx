// Consent and data subjects (LGPD): the data-subject requests with their legal
// deadlines (15 days), the actions of each kind (review, export, approve a
// rectification, carry out a deletion, reject), registering a subject and a
// request received outside the site, and a subject's consent history with
// recording and revoking. APIs: /api/v1/privacy/... (docs/api-lgpd.md).
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

interface DsRequest {
  id: string;
  subject_id: string;
  kind: 'access' | 'portability' | 'rectification' | 'deletion';
  status: string;
  received_at?: string;
  created_at?: string;
  due_at: string;
}

interface Consent {
  id: string;
  purpose: string;
  legal_basis: string;
  text_version: string;
  channel: string;
  granted_at?: string;
  created_at?: string;
  revoked_at?: string | null;
}

const KINDS = ['access', 'portability', 'rectification', 'deletion'] as const;
const CHANNELS = ['web', 'app', 'email', 'phone', 'paper', 'in_person'];
const BASES = ['consentimento', 'obrigacao_legal', 'tutela_saude', 'execucao_contrato', 'exercicio_direitos',
  'protecao_vida', 'interesse_legitimo', 'estudos_pesquisa', 'politicas_publicas', 'protecao_credito', 'prevencao_fraude'];
const DAY = 86_400_000;

function RequestActions({ r, onDone }: { r: DsRequest; onDone: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const base = `/api/v1/privacy/requests/${encodeURIComponent(r.id)}`;
  async function act(path: string, body: unknown = {}) {
    setError(null);
    try {
      await api.post(`${base}/${path}`, body);
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  const closed = r.status === 'completed' || r.status === 'rejected';
  if (closed) return null;
  return (
    <div className="row-actions">
      {r.status !== 'in_review' ? <button type="button" className="button-small" onClick={() => void act('review')}>{t('privacy.review')}</button> : null}
      {(r.kind === 'access' || r.kind === 'portability') ? <button type="button" className="button-small" onClick={() => void act('export', { format: 'json' })}>{t('privacy.export')}</button> : null}
      {r.kind === 'rectification' ? <button type="button" className="button-small" onClick={() => void act('approve')}>{t('privacy.approve')}</button> : null}
      {r.kind === 'deletion' ? <button type="button" className="button-small button-danger" onClick={() => void act('execute')}>{t('privacy.execute')}</button> : null}
      <button type="button" className="button-small" onClick={() => void act('reject', { reason_code: 'identity_not_verified' })}>{t('privacy.rejectRequest')}</button>
      <ProblemAlert error={error} />
    </div>
  );
}

function ConsentsSection() {
  const { t, formatDate } = useI18n();
  const [subjectId, setSubjectId] = useState('');
  const [loadedId, setLoadedId] = useState('');
  const [consents, setConsents] = useState<Consent[] | null>(null);
  const [form, setForm] = useState({ purpose: 'newsletter', legal_basis: 'consentimento', text_version: 'v1', channel: 'web' });
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (id: string) => {
    setError(null);
    try {
      const r = await api.get<{ items: Consent[] }>(`/api/v1/privacy/subjects/${encodeURIComponent(id)}/consents`);
      setConsents(r.items);
      setLoadedId(id);
    } catch (e) {
      setError(e);
    }
  }, []);

  async function record(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`/api/v1/privacy/subjects/${encodeURIComponent(loadedId)}/consents`, form);
      await load(loadedId);
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await api.post(`/api/v1/privacy/consents/${encodeURIComponent(id)}/revoke`, {});
      await load(loadedId);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" aria-labelledby="consents-heading">
      <h2 id="consents-heading">{t('privacy.consents')}</h2>
      <form className="inline-fields" onSubmit={(e) => { e.preventDefault(); void load(subjectId.trim()); }}>
        <Field label={t('privacy.subjectId')}><input value={subjectId} onChange={(e) => setSubjectId(e.target.value)} /></Field>
        <div className="field"><button type="submit">{t('privacy.lookup')}</button></div>
      </form>
      <ProblemAlert error={error} />
      {consents ? (
        <>
          <ul>
            {consents.map((c) => (
              <li key={c.id}>
                <strong>{c.purpose}</strong> ({c.legal_basis}, {c.text_version}, {c.channel}) —{' '}
                {t('privacy.given', { date: formatDate(c.granted_at ?? c.created_at) })}
                {c.revoked_at ? <> — {t('privacy.revoked', { date: formatDate(c.revoked_at) })}</> : (
                  <> <button type="button" className="button-small" onClick={() => void revoke(c.id)}>
                    {t('privacy.revoke')}<span className="visually-hidden"> — {c.purpose}</span></button></>
                )}
              </li>
            ))}
          </ul>
          <form onSubmit={record} className="inline-fields">
            <Field label={t('privacy.purpose')}><input value={form.purpose} onChange={(e) => setForm({ ...form, purpose: e.target.value })} /></Field>
            <Field label={t('privacy.legalBasis')}>
              <select value={form.legal_basis} onChange={(e) => setForm({ ...form, legal_basis: e.target.value })}>
                {BASES.map((b) => <option key={b}>{b}</option>)}
              </select>
            </Field>
            <Field label={t('privacy.textVersion')}><input value={form.text_version} onChange={(e) => setForm({ ...form, text_version: e.target.value })} /></Field>
            <Field label={t('privacy.channel')}>
              <select value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
                {CHANNELS.map((c) => <option key={c}>{c}</option>)}
              </select>
            </Field>
            <div className="field"><button type="submit">{t('privacy.record')}</button></div>
          </form>
        </>
      ) : null}
    </section>
  );
}

export function PrivacyPage() {
  const { t, formatDate } = useI18n();
  const [filter, setFilter] = useState<'open' | 'overdue'>('open');
  const [items, setItems] = useState<DsRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ kind: 'patient', full_name: '', email: '', request: 'access', channel: 'email' });
  const [formError, setFormError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ items: DsRequest[] }>('/api/v1/privacy/requests', { query: { status: filter } });
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [filter]);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      const subject = await api.post<{ id: string }>('/api/v1/privacy/subjects', {
        kind: form.kind, full_name: form.full_name.trim(), ...(form.email.trim() ? { email: form.email.trim() } : {}),
      });
      await api.post('/api/v1/privacy/requests', { subject_id: subject.id, kind: form.request, channel: form.channel });
      setNotice(t('privacy.created'));
      setForm({ ...form, full_name: '', email: '' });
      await load();
    } catch (err) {
      setFormError(err);
    }
  }

  const now = Date.now();
  return (
    <>
      <PageHeader title={t('privacy.title')} />
      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">{t('privacy.requests')}</h2>
        <div className="field">
          <label htmlFor="dsr-filter">{t('privacy.filter')}</label>
          <select id="dsr-filter" value={filter} onChange={(e) => setFilter(e.target.value as 'open' | 'overdue')}>
            <option value="open">{t('privacy.open')}</option>
            <option value="overdue">{t('privacy.overdue')}</option>
          </select>
        </div>
        {notice ? <p className="success" role="status">{notice}</p> : null}
        <ProblemAlert error={error} />
        {items ? (items.length === 0 ? <p>{t('privacy.none')}</p> : (
          <TableScroll label={t('privacy.requests')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('privacy.colKind')}</th>
                <th scope="col">{t('privacy.colStatus')}</th>
                <th scope="col">{t('privacy.colSubject')}</th>
                <th scope="col">{t('privacy.colReceived')}</th>
                <th scope="col">{t('privacy.colDue')}</th>
                <th scope="col">{t('privacy.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const days = Math.ceil((new Date(r.due_at).getTime() - now) / DAY);
                return (
                  <tr key={r.id}>
                    <td>{t(`privacy.kind.${r.kind}` as MessageKey)}</td>
                    <td>{r.status}</td>
                    <td><code className="small">{r.subject_id}</code></td>
                    <td>{formatDate(r.received_at ?? r.created_at)}</td>
                    <td>
                      {formatDate(r.due_at)}{' '}
                      <span className={`badge ${days < 0 ? 'badge-danger' : days <= 3 ? 'badge-warn' : ''}`}>
                        {days < 0 ? t('privacy.late', { days: -days }) : t('privacy.daysLeft', { days })}
                      </span>
                    </td>
                    <td><RequestActions r={r} onDone={() => { setNotice(t('privacy.done')); void load(); }} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </TableScroll>
        )) : null}
      </section>
      <form className="card" onSubmit={create} aria-labelledby="new-subject-heading">
        <h2 id="new-subject-heading">{t('privacy.newSubject')}</h2>
        <ProblemAlert error={formError} />
        <div className="inline-fields">
          <Field label={t('privacy.subjectKind')}>
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              {['patient', 'reader', 'newsletter_contact'].map((k) => <option key={k} value={k}>{t(`privacy.subjectKind.${k}` as MessageKey)}</option>)}
            </select>
          </Field>
          <Field label={t('privacy.fullName')} required><input value={form.full_name} onChange={(e) => setForm({ ...form, full_name: e.target.value })} autoComplete="off" /></Field>
          <Field label={t('privacy.email')}><input type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" /></Field>
          <Field label={t('privacy.requestKind')}>
            <select value={form.request} onChange={(e) => setForm({ ...form, request: e.target.value })}>
              {KINDS.map((k) => <option key={k} value={k}>{t(`privacy.kind.${k}` as MessageKey)}</option>)}
            </select>
          </Field>
          <Field label={t('privacy.channel')}>
            <select value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
              {CHANNELS.map((c) => <option key={c}>{c}</option>)}
            </select>
          </Field>
        </div>
        <button type="submit" className="button-primary">{t('privacy.create')}</button>
      </form>
      <ConsentsSection />
    </>
  );
}
