// Users and roles: the practice's people, invitations (with a temporary
// password shown once), role changes, locking, and verification of a
// physician's professional registration (CRM/UF).
// APIs: GET|POST /api/v1/users, PATCH /api/v1/users/{id},
// POST /api/v1/users/{id}/registration/verify.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { Role, User } from '../api/types';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const ROLES: Role[] = ['practice_admin', 'editor', 'doctor', 'reviewer', 'contributor', 'reader'];
const UFS = ['AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR',
  'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO'];

interface UserList {
  users: User[];
  next_after?: number;
}

function InviteForm({ onCreated }: { onCreated: (u: User & { password?: string }) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', email: '', role: 'doctor' as Role, specialty: '',
                                     kind: 'CRM', number: '', uf: 'SP', rqe: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: form.name.trim(), email: form.email.trim(), role: form.role };
      if (form.specialty.trim()) body.specialty = form.specialty.trim();
      if (form.number.trim()) {
        body.registration = { kind: form.kind, number: form.number.trim(), uf: form.uf,
                              ...(form.rqe.trim() ? { rqe: form.rqe.trim() } : {}) };
      }
      onCreated(await api.post<User & { password?: string }>('/api/v1/users', body));
      setForm((f) => ({ ...f, name: '', email: '', specialty: '', number: '', rqe: '' }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('users.invite')}</h2>
      <p className="hint">{t('users.inviteIntro')}</p>
      <ProblemAlert error={error} />
      <div className="inline-fields">
        <Field label={t('users.name')} required><input value={form.name} onChange={set('name')} autoComplete="off" /></Field>
        <Field label={t('users.email')} required><input type="email" value={form.email} onChange={set('email')} autoComplete="off" /></Field>
        <Field label={t('users.role')} required>
          <select value={form.role} onChange={set('role')}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t('users.specialty')}><input value={form.specialty} onChange={set('specialty')} /></Field>
      </div>
      <fieldset>
        <legend>{t('users.registrationLegend')}</legend>
        <div className="inline-fields">
          <Field label={t('users.regKind')}>
            <select value={form.kind} onChange={set('kind')}>
              {['CRM', 'CRO', 'CRF', 'COREN', 'CRP', 'CRN', 'CREFITO'].map((k) => <option key={k}>{k}</option>)}
            </select>
          </Field>
          <Field label={t('users.regNumber')}><input value={form.number} onChange={set('number')} inputMode="numeric" /></Field>
          <Field label={t('users.regUf')}>
            <select value={form.uf} onChange={set('uf')}>{UFS.map((u) => <option key={u}>{u}</option>)}</select>
          </Field>
          <Field label={t('users.rqe')}><input value={form.rqe} onChange={set('rqe')} inputMode="numeric" /></Field>
        </div>
      </fieldset>
      <button type="submit" className="button-primary" disabled={busy}>{t('users.create')}</button>
    </form>
  );
}

export function UsersPage() {
  const { t, formatDate } = useI18n();
  const [users, setUsers] = useState<User[]>([]);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (after?: number) => {
    try {
      const r = await api.get<UserList>('/api/v1/users', { query: { after, limit: 100 } });
      setUsers((prev) => (after ? [...prev, ...r.users] : r.users));
      setNext(r.next_after);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function update(u: User, path: string, body: unknown, method: 'PATCH' | 'POST' = 'PATCH') {
    setError(null);
    setNotice(null);
    try {
      const updated = method === 'PATCH' ? await api.patch<User>(path, body) : await api.post<User>(path, body);
      setUsers((list) => list.map((x) => (x.id === updated.id ? updated : x)));
      setNotice(t('users.updated', { name: u.name }));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <PageHeader title={t('users.title')} />
      <InviteForm onCreated={(u) => {
        setUsers((list) => [...list, u]);
        setNotice(u.password ? t('users.created', { name: u.name, password: u.password })
                             : t('users.createdNoPassword', { name: u.name }));
      }} />
      {notice ? <p className="success" role="status">{notice}</p> : null}
      <ProblemAlert error={error} />
      <TableScroll label={t('users.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('users.name')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.registration')}</th>
            <th scope="col">{t('users.mfa')}</th>
            <th scope="col">{t('users.lastLogin')}</th>
            <th scope="col">{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}<br /><span className="muted">{u.email}</span></td>
              <td>
                <select aria-label={t('users.changeRole', { name: u.name })} value={u.role}
                        disabled={u.role === 'super_admin'}
                        onChange={(e) => void update(u, `/api/v1/users/${u.id}`, { role: e.target.value })}>
                  {(u.role === 'super_admin' ? ['super_admin' as Role] : ROLES).map((r) =>
                    <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
                </select>
              </td>
              <td>{t(`userStatus.${u.status}` as MessageKey)}</td>
              <td>
                {u.registration ? (
                  <>
                    {u.registration.display}{' '}
                    <span className={`badge ${u.registration.status === 'verified' ? 'badge-ok' : u.registration.status === 'rejected' ? 'badge-danger' : 'badge-warn'}`}>
                      {t(`regStatus.${u.registration.status}` as MessageKey)}
                    </span>
                  </>
                ) : t('regStatus.none')}
              </td>
              <td>{u.mfa_enabled ? t('users.yes') : t('users.no')}</td>
              <td>{formatDate(u.last_login_at)}</td>
              <td className="row-actions">
                {u.registration && u.registration.status !== 'verified' ? (
                  <button type="button" className="button-small"
                          onClick={() => void update(u, `/api/v1/users/${u.id}/registration/verify`, { status: 'verified' }, 'POST')}>
                    {t('users.verify')}<span className="visually-hidden"> — {u.name}</span>
                  </button>
                ) : null}
                {u.registration && u.registration.status === 'pending' ? (
                  <button type="button" className="button-small"
                          onClick={() => void update(u, `/api/v1/users/${u.id}/registration/verify`, { status: 'rejected' }, 'POST')}>
                    {t('users.reject')}<span className="visually-hidden"> — {u.name}</span>
                  </button>
                ) : null}
                {u.role !== 'super_admin' ? (
                  <button type="button" className="button-small"
                          onClick={() => void update(u, `/api/v1/users/${u.id}`, { status: u.status === 'locked' ? 'active' : 'locked' })}>
                    {u.status === 'locked' ? t('users.unlock') : t('users.lock')}<span className="visually-hidden"> — {u.name}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      {next ? <button type="button" onClick={() => void load(next)}>{t('users.more')}</button> : null}
    </>
  );
}
