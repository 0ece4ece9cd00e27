// Practice settings used by the pipeline: the responsible physician (name,
// CRM/UF, RQE, specialty) printed on every article, the mandatory notices, the
// conflict-of-interest statement, the legal-review threshold, the opening hours
// and the public site's branding (main colour, tagline).
// APIs: GET|PUT /api/v1/pipeline/settings (docs/plugins.md).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface Hours {
  day: string;
  opens: string;
  closes: string;
}

const DISCLAIMERS = ['informative', 'emergency', 'mental_health', 'conflict_of_interest', 'dates', 'telemedicine'];

interface Settings {
  physician?: { name?: string; crm?: string; uf?: string; rqe?: string; specialty?: string; gender?: string };
  disclaimers?: string[];
  conflict_of_interest?: string;
  legal_review_threshold?: number;
  working_hours?: Hours[];
  branding?: { primary_color?: string; tagline?: string };
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

  const hours = s?.working_hours ?? [];
  const setHours = (i: number, k: keyof Hours) => (e: { target: { value: string } }) =>
    setS((cur) => ({ ...cur, working_hours: (cur?.working_hours ?? []).map((h, j) => (j === i ? { ...h, [k]: e.target.value } : h)) }));
  const brand = s?.branding ?? {};
  const setBrand = (k: 'primary_color' | 'tagline') => (e: { target: { value: string } }) =>
    setS((cur) => ({ ...cur, branding: { ...(cur?.branding ?? {}), [k]: e.target.value } }));

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
          <fieldset>
            <legend>{t('settings.hours')}</legend>
            {hours.length === 0 ? <p className="muted">{t('settings.hoursNone')}</p> : null}
            {hours.map((h, i) => (
              <div key={i} className="inline-fields">
                <Field label={t('settings.hoursDay', { n: i + 1 })}>
                  <select value={h.day} onChange={setHours(i, 'day')}>
                    {DAYS.map((d) => <option key={d} value={d}>{t(`day.${d}` as MessageKey)}</option>)}
                  </select>
                </Field>
                <Field label={t('settings.hoursOpens', { n: i + 1 })}><input type="time" value={h.opens} onChange={setHours(i, 'opens')} /></Field>
                <Field label={t('settings.hoursCloses', { n: i + 1 })}><input type="time" value={h.closes} onChange={setHours(i, 'closes')} /></Field>
                <button type="button" className="button-small"
                        onClick={() => setS((cur) => ({ ...cur, working_hours: (cur?.working_hours ?? []).filter((_, j) => j !== i) }))}>
                  {t('settings.hoursRemove')}<span className="visually-hidden"> {i + 1}</span>
                </button>
              </div>
            ))}
            <button type="button"
                    onClick={() => setS((cur) => ({ ...cur, working_hours: [...(cur?.working_hours ?? []), { day: 'mon', opens: '08:00', closes: '18:00' }] }))}>
              {t('settings.hoursAdd')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('settings.branding')}</legend>
            <div className="inline-fields">
              <Field label={t('settings.brandColor')}><input type="color" value={brand.primary_color ?? '#0b5cad'} onChange={setBrand('primary_color')} /></Field>
              <Field label={t('settings.brandTagline')}><input value={brand.tagline ?? ''} onChange={setBrand('tagline')} maxLength={200} /></Field>
            </div>
          </fieldset>
          <button type="submit" className="button-primary">{t('settings.save')}</button>
        </form>
      ) : null}
    </>
  );
}
