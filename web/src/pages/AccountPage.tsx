// My account: profile, two-step verification (TOTP enrolment with recovery
// codes, or turning it off with a code) and the active sessions, each of which
// can be ended. APIs: /api/v1/auth/me, /mfa/enroll|activate|disable, /sessions.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth/session';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

interface SessionRow {
  id: string;
  client: string;
  amr: string;
  created_at: string;
  last_seen_at: string;
  current: boolean;
}

function MfaSection() {
  const { t } = useI18n();
  const { me, reload } = useAuth();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [otp, setOtp] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<MessageKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const enabled = me?.user.mfa_enabled ?? false;

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const enroll = () => run(async () => {
    setEnrolment(await api.post<{ secret: string; otpauth_uri: string }>('/api/v1/auth/mfa/enroll'));
    setOtp('');
  });

  const activate = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.post<{ recovery_codes: string[] }>('/api/v1/auth/mfa/activate', { otp: otp.trim() });
      setCodes(r.recovery_codes);
      setOtp('');
      setEnrolment(null);
      setMessage('account.mfaActivated');
      await reload();
    });
  };

  const disable = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.post('/api/v1/auth/mfa/disable', { otp: otp.trim() });
      setOtp('');
      setCodes(null);
      setMessage('account.mfaDisabled');
      await reload();
    });
  };

  return (
    <section aria-labelledby="mfa-heading" className="card">
      <h2 id="mfa-heading">{t('account.mfa')}</h2>
      <p>{enabled ? t('account.mfaOn') : t('account.mfaOff')}</p>
      {message ? <p className="success" role="status">{t(message)}</p> : null}
      <ProblemAlert error={error} />
      {codes ? (
        <div className="recovery">
          <h3>{t('account.recoveryCodes')}</h3>
          <p>{t('account.recoveryHint')}</p>
          <ul className="code-list" data-testid="recovery-codes">
            {codes.map((c) => <li key={c}><code>{c}</code></li>)}
          </ul>
        </div>
      ) : null}
      {!enabled && !enrolment ? (
        <button type="button" className="button-primary" onClick={() => void enroll()} disabled={busy}>
          {t('account.mfaEnable')}
        </button>
      ) : null}
      {!enabled && enrolment ? (
        <form onSubmit={activate}>
          <p className="field-label-like">{t('account.mfaSecret')}</p>
          <p className="hint">{t('account.mfaSecretHint')}</p>
          <p><code className="secret" data-testid="mfa-secret">{enrolment.secret}</code></p>
          <p className="hint">{t('account.mfaUri')}: <code className="wrap">{enrolment.otpauth_uri}</code></p>
          <Field label={t('login.otp')} required>
            <input name="otp" inputMode="numeric" autoComplete="one-time-code" value={otp}
                   onChange={(e) => setOtp(e.target.value)} />
          </Field>
          <button type="submit" className="button-primary" disabled={busy}>{t('account.mfaConfirm')}</button>
        </form>
      ) : null}
      {enabled ? (
        <form onSubmit={disable} className="inline-fields">
          <Field label={t('login.otp')} required>
            <input name="otp" inputMode="numeric" autoComplete="one-time-code" value={otp}
                   onChange={(e) => setOtp(e.target.value)} />
          </Field>
          <div className="field">
            <button type="submit" className="button-danger" disabled={busy}>{t('account.mfaDisable')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function SessionsSection() {
  const { t, formatDate } = useI18n();
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ sessions: SessionRow[] }>('/api/v1/auth/sessions');
      setSessions(r.sessions);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(id: string) {
    setError(null);
    try {
      await api.del(`/api/v1/auth/sessions/${encodeURIComponent(id)}`);
      setMessage(true);
      await load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('account.sessions')}</h2>
      {message ? <p className="success" role="status">{t('account.sessionRevoked')}</p> : null}
      <ProblemAlert error={error} />
      {sessions ? (
        <TableScroll label={t('account.sessions')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('account.sessionClient')}</th>
              <th scope="col">{t('account.sessionMethods')}</th>
              <th scope="col">{t('account.sessionCreated')}</th>
              <th scope="col">{t('account.sessionLastSeen')}</th>
              <th scope="col"><span className="visually-hidden">{t('account.sessionRevoke')}</span></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>{s.client}{s.current ? <> <span className="badge badge-ok">{t('account.sessionCurrent')}</span></> : null}</td>
                <td>{s.amr}</td>
                <td>{formatDate(s.created_at)}</td>
                <td>{formatDate(s.last_seen_at)}</td>
                <td>
                  {s.current ? null : (
                    <button type="button" className="button-small"
                            aria-label={t('account.sessionRevokeLabel', { date: formatDate(s.created_at) })}
                            onClick={() => void revoke(s.id)}>
                      {t('account.sessionRevoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      ) : error ? null : <p role="status">{t('app.loading')}</p>}
    </section>
  );
}

export function AccountPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  if (!me) return null;
  const u = me.user;
  return (
    <>
      <PageHeader title={t('account.title')} />
      <section aria-labelledby="profile-heading" className="card">
        <h2 id="profile-heading">{t('account.profile')}</h2>
        <dl className="facts">
          <dt>{t('account.name')}</dt><dd>{u.name}</dd>
          <dt>{t('account.email')}</dt><dd>{u.email}</dd>
          <dt>{t('account.role')}</dt><dd>{t(`role.${u.role}` as MessageKey)}</dd>
          <dt>{t('account.registration')}</dt>
          <dd>{u.registration ? `${u.registration.display} (${u.registration.status})` : t('account.none')}</dd>
        </dl>
      </section>
      <MfaSection />
      <SessionsSection />
    </>
  );
}
