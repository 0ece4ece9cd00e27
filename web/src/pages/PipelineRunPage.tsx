// One pipeline run: the five stages with their status, kept up to date while
// the run is in progress (pushed over WebSocket, with Server-Sent Events and then
// polling as fallbacks: api/runEvents.ts), each stage's findings, and
// approve / reject with a note for stages waiting for a reviewer
// (POST .../steps/{stage}/approve|reject). When the run is done, the post's
// workflow (submit, approve, publish) continues on the post.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useRunUpdates } from '../api/runEvents';
import type { PipelineRun, PipelineStep } from '../api/types';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const ACTIVE = new Set(['pending', 'running']);

function runTone(status: string): string {
  if (status === 'completed') return 'badge-ok';
  if (status === 'blocked' || status === 'failed' || status === 'rejected') return 'badge-danger';
  if (status === 'needs_approval') return 'badge-warn';
  return '';
}

function StepCard({ runId, step, onDecided }: { runId: string; step: PipelineStep; onDecided: (r: PipelineRun) => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const findings = step.output?.findings ?? step.output?.detections ?? [];
  const label = t(`pipeline.stage.${step.stage}` as MessageKey);

  async function decide(kind: 'approve' | 'reject') {
    setError(null);
    try {
      onDecided(await api.post<PipelineRun>(
        `/api/v1/pipeline/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(step.stage)}/${kind}`,
        note.trim() ? { note: note.trim() } : {}));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <li className="card stage" data-stage={step.stage} data-status={step.status}>
      <h2>{label}</h2>
      <p>
        <span className={`badge ${runTone(step.status)}`}>{t(`pipeline.runStatus.${step.status}` as MessageKey)}</span>
        {step.result_status ? <> · <code>{step.result_status}</code></> : null}
        {step.error_code ? <> · <code>{step.error_code}</code></> : null}
      </p>
      {step.output ? (
        findings.length === 0 ? <p className="muted">{t('pipeline.noFindings')}</p> : (
          <>
            <h3>{t('pipeline.findings')}</h3>
            <ul className="findings">
              {findings.map((f, i) => (
                <li key={`${f.rule ?? f.type}-${i}`} className={`finding finding-${f.severity ?? 'info'}`}>
                  {f.severity ? <span className={`badge ${f.severity === 'block' ? 'badge-danger' : 'badge-warn'}`}>
                    {t(`pipeline.severity.${f.severity}` as MessageKey)}</span> : null}{' '}
                  <strong>{f.title ?? f.type ?? f.rule}</strong>
                  {f.match ? <> — <q>{f.match}</q></> : null}
                  {f.remediation ? <p>{t('pipeline.remediation', { text: f.remediation })}</p> : null}
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
      {step.decision ? <p>{t('pipeline.decided', { decision: step.decision.decision })}{step.decision.note ? <> — <q>{step.decision.note}</q></> : null}</p> : null}
      <ProblemAlert error={error} />
      {step.status === 'needs_approval' ? (
        <div>
          <Field label={`${t('pipeline.note')} — ${label}`}>
            <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="button" className="button-primary" onClick={() => void decide('approve')}>
              {t('pipeline.approve')}<span className="visually-hidden"> — {label}</span>
            </button>
            <button type="button" className="button-danger" onClick={() => void decide('reject')}>
              {t('pipeline.reject')}<span className="visually-hidden"> — {label}</span>
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}

export function PipelineRunPage() {
  const { t } = useI18n();
  const { runId = '' } = useParams();
  const [run, setRun] = useState<PipelineRun | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setRun(await api.get<PipelineRun>(`/api/v1/pipeline/runs/${encodeURIComponent(runId)}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [runId]);

  useEffect(() => {
    void load();
  }, [load]);

  const active = run ? ACTIVE.has(run.status) : false;
  const reload = useCallback(() => void load(), [load]);
  useRunUpdates(runId, active, reload);

  return (
    <>
      <PageHeader title={t('pipeline.runTitle')}>
        {run ? <Link className="button" to={`/posts/${run.post_id}`}>{t('pipeline.backToPost')}</Link> : null}
      </PageHeader>
      <ProblemAlert error={error} />
      {run ? (
        <>
          <p role="status" aria-live="polite">
            {t('pipeline.post', { id: run.post_id })} · {t('pipeline.status', { status: '' })}
            <span className={`badge ${runTone(run.status)}`} data-testid="run-status">
              {t(`pipeline.runStatus.${run.status}` as MessageKey)}
            </span>
            {active ? <> · <span className="muted">{t('pipeline.live')}</span></> : null}
          </p>
          {run.status === 'completed' ? <p className="success">{t('pipeline.publishHint')}</p> : null}
          <ol className="stages">
            {run.steps.map((s) => <StepCard key={s.stage} runId={run.id} step={s} onDecided={(r) => { setRun(r); void load(); }} />)}
          </ol>
        </>
      ) : null}
    </>
  );
}
