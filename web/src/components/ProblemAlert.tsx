// Shows an error from the server the way the API reports it: the localised
// title, the detail, field errors, the policy reason (trust score) and the
// request id, so the person can quote it to support.
import { ApiError } from '../api/client';
import type { Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';

export function toProblem(error: unknown, fallbackTitle: string): Problem {
  if (error instanceof ApiError) return error.problem;
  return { title: fallbackTitle, status: 0, code: 'client_error',
           detail: error instanceof Error ? error.message : undefined };
}

interface Props {
  error: unknown;
  onDismiss?: () => void;
  id?: string;
}

export function ProblemAlert({ error, onDismiss, id }: Props) {
  const { t } = useI18n();
  if (!error) return null;
  const p = toProblem(error, t('problem.unexpected'));
  const network = p.code === 'network_error';
  return (
    <div className="problem" role="alert" id={id} data-code={p.code}>
      <p className="problem-title">{network ? t('problem.network') : p.title}</p>
      {network ? <p>{t('problem.networkDetail')}</p> : p.detail ? <p>{p.detail}</p> : null}
      {p.errors && p.errors.length > 0 ? (
        <>
          <p>{t('problem.fieldErrors')}</p>
          <ul>
            {p.errors.map((fe) => (
              <li key={`${fe.field}:${fe.code}`}>
                <code>{fe.field}</code>: {fe.message || fe.code}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {typeof p.reason === 'string' && p.reason ? <p>{t('problem.reason', { reason: p.reason })}</p> : null}
      {typeof p.trust_score === 'number' && typeof p.required_score === 'number' ? (
        <p>{t('problem.trust', { score: p.trust_score, required: p.required_score })}</p>
      ) : null}
      {p.request_id ? (
        <p className="problem-id">{t('problem.requestId', { id: p.request_id })}</p>
      ) : null}
      {onDismiss ? (
        <button type="button" className="button-link" onClick={onDismiss}>
          {t('problem.dismiss')}
        </button>
      ) : null}
    </div>
  );
}
