// Live personal-data warnings while the author types: the text is sent to the
// LGPD analyser (POST /api/v1/lgpd/analyze) 700 ms after the last keystroke;
// what it finds is highlighted in the visual editor and listed here with the
// matched text (shown from the author's own copy: the API never echoes it).
// "Anonymise" sends the text to POST /api/v1/lgpd/anonymize with the chosen
// operator and puts each replacement in place, keeping the formatting.
import { useEffect, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { api } from '../api/client';
import type { Analysis, AnonymizeResult, Detection } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { piiKey } from './piiHighlight';
import type { PiiSpan } from './piiHighlight';
import { buildTextMap, docRange, replacementsFrom } from './textmap';
import type { TextMap } from './textmap';

const OPERATORS = ['replace', 'mask', 'redact', 'pseudonymize'] as const;
type Operator = (typeof OPERATORS)[number];
const DEBOUNCE_MS = 700;

const TYPE_LABELS: Record<string, { pt: string; en: string }> = {
  cpf: { pt: 'CPF', en: 'CPF' },
  cnpj: { pt: 'CNPJ', en: 'CNPJ' },
  rg: { pt: 'RG', en: 'RG' },
  cns: { pt: 'Cartão SUS', en: 'SUS card' },
  email: { pt: 'E-mail', en: 'Email' },
  phone: { pt: 'Telefone', en: 'Phone' },
  cep: { pt: 'CEP', en: 'Postal code' },
  person_name: { pt: 'Nome de pessoa', en: 'Person name' },
  date_of_birth: { pt: 'Data de nascimento', en: 'Date of birth' },
  address: { pt: 'Endereço', en: 'Address' },
  crm: { pt: 'CRM', en: 'CRM' },
  medical_record: { pt: 'Prontuário', en: 'Medical record' },
};

interface Props {
  mode: 'visual' | 'markdown';
  editor: Editor | null;
  markdown: string;
  revision: number; // bumps on every change of the text
  onMarkdownChange: (text: string) => void;
}

export function PiiPanel({ mode, editor, markdown, revision, onMarkdownChange }: Props) {
  const { t, lang } = useI18n();
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [analyzedText, setAnalyzedText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [operator, setOperator] = useState<Operator>('replace');
  const [done, setDone] = useState<number | null>(null);
  const mapRef = useRef<TextMap | null>(null);
  const seq = useRef(0);

  const typeLabel = (type: string) => TYPE_LABELS[type]?.[lang === 'en' ? 'en' : 'pt'] ?? type;

  function currentText(): { text: string; map: TextMap | null } {
    if (mode === 'visual' && editor) {
      const map = buildTextMap(editor.state.doc);
      return { text: map.text, map };
    }
    return { text: markdown, map: null };
  }

  function highlight(a: Analysis | null, map: TextMap | null) {
    if (!editor || editor.isDestroyed) return;
    const spans: PiiSpan[] = [];
    if (a && map) {
      for (const d of a.detections) {
        const r = docRange(map, d.start, d.end);
        if (r) spans.push({ ...r, type: d.type, label: typeLabel(d.type) });
      }
    }
    editor.view.dispatch(editor.state.tr.setMeta(piiKey, spans));
  }

  useEffect(() => {
    const { text, map } = currentText();
    if (!text.trim()) {
      setAnalysis(null);
      setAnalyzedText('');
      highlight(null, null);
      return undefined;
    }
    const my = ++seq.current;
    const ctrl = new AbortController();
    const timer = window.setTimeout(async () => {
      setBusy(true);
      try {
        const a = await api.post<Analysis>('/api/v1/lgpd/analyze', { content: text }, { signal: ctrl.signal });
        if (my !== seq.current) return;
        mapRef.current = map;
        setAnalysis(a);
        setAnalyzedText(text);
        setError(null);
        highlight(a, map);
      } catch (e) {
        if (my === seq.current && !ctrl.signal.aborted) setError(e);
      } finally {
        if (my === seq.current) setBusy(false);
      }
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision, mode, editor]);

  async function anonymize(only?: Detection) {
    const { text, map } = currentText();
    if (text !== analyzedText) return; // stale: the next analysis will come
    setError(null);
    setDone(null);
    try {
      const types = only ? [only.type] : undefined;
      const r = await api.post<AnonymizeResult>('/api/v1/lgpd/anonymize', {
        content: text,
        default_operator: operator,
        ...(types ? { types } : {}),
      });
      if (mode === 'markdown' || !editor || !map) {
        onMarkdownChange(r.content);
        setDone(r.applied.length);
        return;
      }
      const detections = r.analysis?.detections ?? analysis?.detections ?? [];
      const reps = replacementsFrom(text, r.content, r.applied, detections);
      if (!reps) throw new Error(t('pii.unavailable'));
      let tr = editor.state.tr;
      for (const rep of [...reps].sort((a, b) => b.start - a.start)) {
        const range = docRange(map, rep.start, rep.end);
        if (range) tr = tr.insertText(rep.text, range.from, range.to);
      }
      editor.view.dispatch(tr);
      setDone(reps.length);
    } catch (e) {
      setError(e);
    }
  }

  const cps = Array.from(analyzedText);
  const detections = analysis?.detections ?? [];
  return (
    <section className="card pii-panel" aria-labelledby="pii-heading">
      <h2 id="pii-heading">{t('pii.title')}</h2>
      <div aria-live="polite" role="status" className="pii-status">
        {busy ? <p className="muted">{t('pii.checking')}</p> : null}
        {!busy && analysis && detections.length === 0 ? <p>{t('pii.none')}</p> : null}
        {analysis && detections.length > 0 ? (
          <p className="warning">{t('pii.found', { count: detections.length, score: analysis.risk_score })}</p>
        ) : null}
        {done !== null ? <p className="success">{t('pii.anonymized', { count: done })}</p> : null}
      </div>
      {error ? (
        <>
          <p>{t('pii.unavailable')}</p>
          <ProblemAlert error={error} />
        </>
      ) : null}
      {detections.length > 0 ? (
        <>
          <ul className="pii-list">
            {detections.map((d) => (
              <li key={`${d.type}-${d.start}`}>
                <mark className="pii-mark" data-pii={d.type}>{cps.slice(d.start, d.end).join('')}</mark>{' '}
                <span>{t('pii.item', { type: typeLabel(d.type), confidence: Math.round(d.confidence * 100) })}</span>{' '}
                <button type="button" className="button-small" onClick={() => void anonymize(d)}>
                  {t('pii.anonymizeOne', { type: typeLabel(d.type) })}
                </button>
              </li>
            ))}
          </ul>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="pii-operator">{t('pii.operator')}</label>
              <select id="pii-operator" value={operator} onChange={(e) => setOperator(e.target.value as Operator)}>
                {OPERATORS.map((o) => <option key={o} value={o}>{t(`pii.op.${o}` as MessageKey)}</option>)}
              </select>
            </div>
            <div className="field">
              <button type="button" className="button-primary" onClick={() => void anonymize()}>
                {t('pii.anonymizeAll')}
              </button>
            </div>
          </div>
          {analysis && analysis.recommendations.length > 0 ? (
            <>
              <h3>{t('pii.recommendations')}</h3>
              <ul>{analysis.recommendations.map((r) => <li key={r.code}>{r.text}</li>)}</ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
