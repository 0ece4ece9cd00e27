// Sign-in: e-mail + password, then the TOTP (or a recovery code) when the
// account has MFA. Errors show the server's problem title/detail/request id.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/session';
import { Field } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';

export function LoginPage() {
  const { t } = useI18n();
  const { status, notice, login, verifyMfa } = useAuth();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [otp, setOtp] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (mfaToken) codeRef.current?.focus();
  }, [mfaToken, useRecovery]);

  if (status === 'authenticated') return <Navigate to={from} replace />;

  async function submitPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await login(email.trim(), password);
      if (r.kind === 'mfa') {
        setMfaToken(r.mfaToken);
        setOtp('');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    if (!mfaToken) return;
    setBusy(true);
    setError(null);
    try {
      await verifyMfa(mfaToken, useRecovery ? { recovery_code: otp.trim() } : { otp: otp.trim() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-shell">
      <header className="login-top">
        <span className="brand-name">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-card">
        {mfaToken ? (
          <form onSubmit={submitCode} noValidate>
            <PageHeader title={t('login.mfaTitle')} />
            <p>{t('login.mfaIntro')}</p>
            <ProblemAlert error={error} />
            <Field label={useRecovery ? t('login.recoveryCode') : t('login.otp')} required>
              <input
                ref={codeRef}
                name={useRecovery ? 'recovery_code' : 'otp'}
                inputMode={useRecovery ? 'text' : 'numeric'}
                autoComplete="one-time-code"
                value={otp}
                onChange={(e) => setOtp(e.target.value)}
              />
            </Field>
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={busy}>
                {t('login.verify')}
              </button>
              <button type="button" onClick={() => setUseRecovery((v) => !v)}>
                {useRecovery ? t('login.otp') : t('login.recovery')}
              </button>
              <button type="button" className="button-link"
                      onClick={() => { setMfaToken(null); setError(null); }}>
                {t('login.back')}
              </button>
            </div>
          </form>
        ) : (
          <form onSubmit={submitPassword} noValidate>
            <PageHeader title={t('login.title')} />
            <p>{t('login.intro')}</p>
            {notice === 'expired' ? <p className="notice" role="status">{t('login.expired')}</p> : null}
            {notice === 'logged_out' ? <p className="notice" role="status">{t('login.loggedOut')}</p> : null}
            <ProblemAlert error={error} />
            <Field label={t('login.email')} required>
              <input
                type="email"
                name="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <Field label={t('login.password')} required>
              <input
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={busy}>
                {busy ? t('login.submitting') : t('login.submit')}
              </button>
            </div>
          </form>
        )}
      </main>
    </div>
  );
}
