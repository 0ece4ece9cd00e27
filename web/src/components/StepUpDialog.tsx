// The MFA step-up dialog: opened when the policy engine answers 401
// mfa_required (e.g. publishing needs trust 85). A native modal <dialog> keeps
// focus inside and closes on Escape.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Field } from './Field';
import { ProblemAlert } from './ProblemAlert';

export function StepUpDialog() {
  const { stepUp, finishStepUp } = useAuth();
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (stepUp && !d.open) {
      setOtp('');
      setError(null);
      d.showModal();
    } else if (!stepUp && d.open) {
      d.close();
    }
  }, [stepUp]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/step-up', { otp: otp.trim() }, { noAuthRetry: true });
      finishStepUp(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="step-up-title"
      onCancel={() => finishStepUp(false)}
    >
      {stepUp ? (
      <form onSubmit={submit}>
        <h2 id="step-up-title">{t('stepUp.title')}</h2>
        <p>{t('stepUp.intro')}</p>
        {stepUp?.problem.detail ? <p>{stepUp.problem.detail}</p> : null}
        <ProblemAlert error={error} />
        <Field label={t('login.otp')} required>
          <input
            name="otp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6,8}"
            value={otp}
            onChange={(e) => setOtp(e.target.value)}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('stepUp.submit')}
          </button>
          <button type="button" onClick={() => finishStepUp(false)}>
            {t('stepUp.cancel')}
          </button>
        </div>
      </form>
      ) : null}
    </dialog>
  );
}
