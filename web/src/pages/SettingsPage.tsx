// Practice settings used by the pipeline: the responsible physician (name,
// CRM/UF, RQE, specialty) printed on every article, the mandatory notices, the
// conflict-of-interest statement and the legal-review threshold.
// APIs: GET|PUT /api/v1/pipeline/settings (docs/plugins.md).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const DISCLAIMERS = ['informative', 'emergency', 'mental_health', 'conflict_of_interest', 'dates', 'telemedicine'];

interface Settings {
  physician?: { name?: string; crm?: string; uf?: string; rqe?: string; specialty?: string; gender?: string };
  disclaimers?: string[];
  conflict_of_interest?: string;
  legal_review_threshold?: number;
  [k: string]: unknown;
}

export function SettingsPage() {
  const { t } = useI18n();
  const [s, setS] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.get<Settings>('/api/v1/pipeline/settings').then(setS, setError);
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      setS(await api.put<Settings>('/api/v1/pipeline/settings', s));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }

  const phys = s?.physician ?? {};
  const setPhys = (k: string) => (e: { target: { value: string } }) =>
    setS((cur) => ({ ...cur, physician: { ...(cur?.physician ?? {}), [k]: e.target.value } }));

  return (
    <>
      <PageHeader title={t('settings.title')} />
      <ProblemAlert error={error} />
      {saved ? <p className="success" role="status">{t('settings.saved')}</p> : null}
      {s ? (
        <form onSubmit={save}>
          <fieldset>
            <legend>{t('settings.physician')}</legend>
            <div className="inline-fields">
              <Field label={t('settings.physicianName')}><input value={phys.name ?? ''} onChange={setPhys('name')} /></Field>
              <Field label={t('settings.crm')}><input value={phys.crm ?? ''} onChange={setPhys('crm')} inputMode="numeric" /></Field>
              <Field label={t('settings.uf')}><input value={phys.uf ?? ''} onChange={setPhys('uf')} maxLength={2} /></Field>
              <Field label={t('settings.rqe')}><input value={phys.rqe ?? ''} onChange={setPhys('rqe')} inputMode="numeric" /></Field>
              <Field label={t('settings.specialty')}><input value={phys.specialty ?? ''} onChange={setPhys('specialty')} /></Field>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('settings.disclaimers')}</legend>
            {DISCLAIMERS.map((d) => (
              <label key={d} className="check">
                <input type="checkbox" checked={(s.disclaimers ?? []).includes(d)}
                       onChange={() => setS((cur) => {
                         const list = cur?.disclaimers ?? [];
                         return { ...cur, disclaimers: list.includes(d) ? list.filter((x) => x !== d) : [...list, d] };
                       })} />{' '}
                {t(`settings.disclaimer.${d}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <Field label={t('settings.coi')}>
            <textarea rows={2} value={s.conflict_of_interest ?? ''} onChange={(e) => setS({ ...s, conflict_of_interest: e.target.value })} />
          </Field>
          <Field label={t('settings.threshold')}>
            <input type="number" min={0} max={100} value={s.legal_review_threshold ?? 50}
                   onChange={(e) => setS({ ...s, legal_review_threshold: Number(e.target.value) })} />
          </Field>
          <button type="submit" className="button-primary">{t('settings.save')}</button>
        </form>
      ) : null}
    </>
  );
}
