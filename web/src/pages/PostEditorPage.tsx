// Post editor: title, the TipTap visual editor or Markdown source, autosave of
// drafts (PATCH with the expected version: a concurrent save is a 409, shown,
// never overwritten), live personal-data warnings, categories / tags / medical
// specialties, compliance level, featured image, the review workflow and
// revisions with diff and restore.
// APIs: /api/v1/posts[/{id}], /{action} (submit, approve, publish...), /transitions (history), /revisions[/{rev}/restore|diff/{to}],
// /api/v1/terms, /api/v1/lgpd/analyze|anonymize, /wp-json/wp/v2/media.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../api/client';
import type {
  Compliance, PipelineRun, Post, PostCompliance, PostStatus, Revision, RevisionDiff, Term, Transition, TransitionAction, WpMedia,
} from '../api/types';
import { COMPLIANCE_LEVELS } from '../api/types';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { PiiPanel } from '../editor/PiiPanel';
import { RichEditor } from '../editor/RichEditor';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const AUTOSAVE_MS = 1500;

interface Draft {
  title: string;
  content: string;
  format: 'html' | 'markdown';
  excerpt: string;
  compliance_level: Compliance;
  term_ids: number[];
  featured_media_id: number | null;
}

const EMPTY: Draft = {
  title: '', content: '', format: 'html', excerpt: '', compliance_level: 'public', term_ids: [],
  featured_media_id: null,
};

function draftOf(p: Post): Draft {
  return {
    title: p.title,
    content: p.content ?? p.content_html,
    format: p.format,
    excerpt: p.excerpt,
    compliance_level: p.compliance_level,
    term_ids: p.term_ids,
    featured_media_id: p.featured_media_id,
  };
}

const ACTIONS: Record<PostStatus, TransitionAction[]> = {
  draft: ['submit', 'trash'],
  pending: ['approve', 'reject', 'trash'],
  approved: ['publish', 'reject', 'trash'],
  future: ['unschedule', 'trash'],
  publish: ['unpublish', 'trash'],
  private: ['publish', 'trash'],
  trash: ['restore'],
  inherit: [],
};

function WorkflowPanel({ post, onChanged, beforePipeline }: {
  post: Post; onChanged: (p: Post) => void; beforePipeline: () => Promise<Post | null>;
}) {
  const { t, formatDate } = useI18n();
  const navigate = useNavigate();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [history, setHistory] = useState<Transition[]>([]);
  const [busy, setBusy] = useState(false);

  const loadHistory = useCallback(() => {
    api.get<{ items: Transition[] }>(`/api/v1/posts/${post.id}/transitions`)
      .then((r) => setHistory(r.items), () => setHistory([]));
  }, [post.id]);
  useEffect(loadHistory, [loadHistory, post.status]);

  // Whether publishing is unlocked: a completed pipeline run of the current revision.
  const [standing, setStanding] = useState<PostCompliance | null>(null);
  useEffect(() => {
    api.get<PostCompliance>(`/api/v1/posts/${post.id}/compliance`)
      .then(setStanding, () => setStanding(null));
  }, [post.id, post.status, post.version]);

  async function apply(action: TransitionAction) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      // One route per action (each with its own permission): /api/v1/posts/{id}/{action}.
      const p = await api.post<Post>(`/api/v1/posts/${post.id}/${action.replace('_', '-')}`,
                                     comment.trim() ? { comment: comment.trim() } : {});
      onChanged(p);
      setComment('');
      setMessage(t('editor.actionDone', { status: t(`status.${p.status}` as MessageKey) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function runPipeline() {
    setBusy(true);
    setError(null);
    try {
      const p = (await beforePipeline()) ?? post;
      // The server runs the pipeline on the stored post (its current revision).
      const run = await api.post<PipelineRun>('/api/v1/pipeline/runs', { post_id: p.id });
      navigate(`/pipeline/runs/${encodeURIComponent(run.id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const actions = ACTIONS[post.status] ?? [];
  return (
    <section className="card" aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">{t('editor.workflow')}</h2>
      <p className="hint">{t('pipeline.runHint')}</p>
      <button type="button" className="button-primary" disabled={busy} onClick={() => void runPipeline()}>
        {t('pipeline.run')}
      </button>
      <p>{t('editor.statusNow', { status: '' })}<StatusBadge status={post.status} /></p>
      {standing && !standing.pipeline.publishable && standing.pipeline.detail ? (
        <p className="hint" data-testid="publish-gate">{t('editor.publishGate', { detail: standing.pipeline.detail })}</p>
      ) : null}
      {message ? <p className="success" role="status">{message}</p> : null}
      <ProblemAlert error={error} />
      {actions.includes('reject') ? (
        <Field label={t('editor.comment')} hint={t('editor.commentHint')}>
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />
        </Field>
      ) : null}
      <div className="form-actions">
        {actions.map((a) => (
          <button key={a} type="button" disabled={busy}
                  className={a === 'trash' ? 'button-danger' : a === 'publish' || a === 'approve' || a === 'submit' ? 'button-primary' : ''}
                  onClick={() => void apply(a)}>
            {t(`editor.action.${a}` as MessageKey)}
          </button>
        ))}
      </div>
      {history.length > 0 ? (
        <>
          <h3>{t('editor.history')}</h3>
          <ol className="history">
            {history.map((h) => (
              <li key={h.id}>
                {formatDate(h.created_at)}: {t(`status.${h.from}` as MessageKey)} → {t(`status.${h.to}` as MessageKey)}
                {h.comment ? <> — <q>{h.comment}</q></> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function RevisionsPanel({ post, onRestored }: { post: Post; onRestored: (p: Post) => void }) {
  const { t, formatDate } = useI18n();
  const [revs, setRevs] = useState<Revision[]>([]);
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState(false);

  useEffect(() => {
    api.get<{ items: Revision[] }>(`/api/v1/posts/${post.id}/revisions`)
      .then((r) => setRevs(r.items), setError);
  }, [post.id, post.version]);

  async function compare(from: number, to: number) {
    setError(null);
    try {
      setDiff(await api.get<RevisionDiff>(`/api/v1/posts/${post.id}/revisions/${from}/diff/${to}`));
    } catch (e) {
      setError(e);
    }
  }

  async function restore(rev: number) {
    setError(null);
    try {
      onRestored(await api.post<Post>(`/api/v1/posts/${post.id}/revisions/${rev}/restore`));
      setMessage(true);
      setDiff(null);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">{t('editor.revisions')}</h2>
      {message ? <p className="success" role="status">{t('editor.restored')}</p> : null}
      <ProblemAlert error={error} />
      {revs.length === 0 ? <p className="muted">{t('editor.noRevisions')}</p> : (
        <ol className="revisions" reversed>
          {revs.map((r, i) => (
            <li key={r.id}>
              <span>{formatDate(r.created_at)} — {r.title || t('posts.untitled')}</span>
              <span className="row-actions">
                {i + 1 < revs.length ? (
                  <button type="button" className="button-small" onClick={() => void compare(revs[i + 1].id, r.id)}>
                    {t('editor.compareWith')}
                  </button>
                ) : null}
                <button type="button" className="button-small" onClick={() => void restore(r.id)}>
                  {t('editor.restore')}
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      {diff ? (
        <div className="diff" aria-label={t('editor.diffTitle', { from: diff.from, to: diff.to })} role="region">
          <h3>{t('editor.diffTitle', { from: diff.from, to: diff.to })}</h3>
          {diff.title_changed ? <p>{t('editor.titleChanged')}</p> : null}
          <ul className="diff-lines">
            {diff.lines.map((l, i) => (
              <li key={i} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same'}>
                {l.op === '+' ? <ins><span className="visually-hidden">{t('editor.diffAdded')}: </span>+ {l.text}</ins>
                  : l.op === '-' ? <del><span className="visually-hidden">{t('editor.diffRemoved')}: </span>− {l.text}</del>
                  : <span>  {l.text}</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function TermsFieldset({ legend, terms, selected, onToggle }: {
  legend: string; terms: Term[]; selected: number[]; onToggle: (id: number) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{legend}</legend>
      {terms.length === 0 ? <p className="muted">{t('editor.noTerms')}</p> : terms.map((term) => (
        <label key={term.id} className="check">
          <input type="checkbox" checked={selected.includes(term.id)} onChange={() => onToggle(term.id)} />
          {' '}{term.name}
        </label>
      ))}
    </fieldset>
  );
}

export function PostEditorPage() {
  const { t, formatDate } = useI18n();
  const { id: idParam } = useParams();
  const navigate = useNavigate();
  const titleId = useId();
  const contentLabelId = useId();
  const [postId, setPostId] = useState<number | null>(idParam && idParam !== 'new' ? Number(idParam) : null);
  const [post, setPost] = useState<Post | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [loaded, setLoaded] = useState(idParam === 'new');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saveState, setSaveState] = useState<'idle' | 'dirty' | 'saving' | 'saved'>('idle');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [mode, setMode] = useState<'visual' | 'markdown'>('visual');
  const [textRevision, setTextRevision] = useState(0);
  const [editorKey, setEditorKey] = useState(0);
  const [categories, setCategories] = useState<Term[]>([]);
  const [tags, setTags] = useState<Term[]>([]);
  const [media, setMedia] = useState<WpMedia[] | null>(null);
  const [mediaError, setMediaError] = useState<unknown>(null);
  const saving = useRef(false);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const postRef = useRef(post);
  postRef.current = post;

  // Load the post (not when we just created it: the editor keeps its state).
  useEffect(() => {
    if (!idParam || idParam === 'new') return;
    const id = Number(idParam);
    if (postRef.current?.id === id) return;
    api.get<Post>(`/api/v1/posts/${id}`).then((p) => {
      setPost(p);
      setPostId(p.id);
      setDraft(draftOf(p));
      setMode(p.format === 'markdown' ? 'markdown' : 'visual');
      setEditorKey((k) => k + 1);
      setLoaded(true);
    }, setLoadError);
  }, [idParam]);

  useEffect(() => {
    api.get<{ items: Term[] }>('/api/v1/terms', { query: { taxonomy: 'category' } })
      .then((r) => setCategories(r.items), () => setCategories([]));
    api.get<{ items: Term[] }>('/api/v1/terms', { query: { taxonomy: 'post_tag' } })
      .then((r) => setTags(r.items), () => setTags([]));
    api.get<WpMedia[]>('/wp-json/wp/v2/media', { query: { per_page: 50, media_type: 'image' } })
      .then(setMedia, setMediaError);
  }, []);

  const save = useCallback(async () => {
    if (saving.current) return;
    saving.current = true;
    setSaveState('saving');
    setSaveError(null);
    const d = draftRef.current;
    try {
      const body = { ...d };
      let p: Post;
      const current = postRef.current;
      if (!current) {
        p = await api.post<Post>('/api/v1/posts', { type: 'post', ...body });
        postRef.current = p;
        setPostId(p.id);
        navigate(`/posts/${p.id}`, { replace: true });
      } else {
        p = await api.patch<Post>(`/api/v1/posts/${current.id}`, { ...body, version: current.version });
      }
      setPost(p);
      postRef.current = p;
      setSavedAt(new Date().toISOString());
      setSaveState(draftRef.current === d ? 'saved' : 'dirty');
    } catch (e) {
      setSaveError(e);
      setSaveState('dirty');
    } finally {
      saving.current = false;
    }
  }, [navigate]);

  // Saves what is pending before the pipeline reads the post.
  const saveNow = useCallback(async (): Promise<Post | null> => {
    if (saveState === 'dirty') await save();
    return postRef.current;
  }, [save, saveState]);

  // Autosave a moment after the last change.
  useEffect(() => {
    if (saveState !== 'dirty' || saveError instanceof ApiError && saveError.status === 409) return undefined;
    const timer = window.setTimeout(() => void save(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, saveState, save, saveError]);

  function change(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setSaveState('dirty');
  }

  const onEditorChange = useCallback((e: Editor) => {
    setDraft((d) => ({ ...d, content: e.getHTML(), format: 'html' }));
    setSaveState('dirty');
    setTextRevision((r) => r + 1);
  }, []);

  function switchMode(next: 'visual' | 'markdown') {
    if (next === mode) return;
    if (next === 'markdown') {
      const md = editor ? editor.getMarkdown() : draft.content;
      change({ content: md, format: 'markdown' });
    } else {
      change({ format: 'html' });
      setEditorKey((k) => k + 1);
    }
    setMode(next);
    setTextRevision((r) => r + 1);
  }

  function serverUpdated(p: Post) {
    setPost(p);
    postRef.current = p;
    setDraft(draftOf(p));
    setSaveState('idle');
    setEditorKey((k) => k + 1);
    setTextRevision((r) => r + 1);
  }

  const toggleTerm = (id: number) =>
    change({ term_ids: draft.term_ids.includes(id) ? draft.term_ids.filter((x) => x !== id) : [...draft.term_ids, id] });

  if (loadError) {
    return (
      <>
        <PageHeader title={t('editor.editTitle')} />
        <ProblemAlert error={loadError} />
      </>
    );
  }
  if (!loaded) return <p role="status">{t('app.loading')}</p>;

  const specialties = categories.filter((c) => c.specialty);
  const plainCategories = categories.filter((c) => !c.specialty);
  const conflict = saveError instanceof ApiError && saveError.status === 409;
  const featured = media?.find((m) => m.id === draft.featured_media_id) ?? null;

  return (
    <>
      <PageHeader title={postId ? t('editor.editTitle') : t('editor.newTitle')}>
        <span className="save-state" role="status" aria-live="polite">
          {saveState === 'saving' ? t('editor.saving')
            : saveState === 'dirty' ? t('editor.unsaved')
            : savedAt ? t('editor.savedAt', { time: formatDate(savedAt) }) : ''}
        </span>
        <button type="button" onClick={() => void save()} disabled={saveState === 'saving'}>{t('editor.save')}</button>
      </PageHeader>
      {conflict ? <p className="warning" role="alert">{t('editor.conflict')}</p> : null}
      <ProblemAlert error={saveError} />
      <div className="editor-layout">
        <div className="editor-main">
          <div className="field">
            <label htmlFor={titleId}>{t('editor.title')}</label>
            <input id={titleId} className="title-input" value={draft.title}
                   onChange={(e) => change({ title: e.target.value })} />
          </div>
          <div className="mode-switch" role="group" aria-label={t('editor.format')}>
            <button type="button" aria-pressed={mode === 'visual'} onClick={() => switchMode('visual')}>{t('editor.visual')}</button>
            <button type="button" aria-pressed={mode === 'markdown'} onClick={() => switchMode('markdown')}>{t('editor.markdown')}</button>
          </div>
          <p className="field-label-like" id={contentLabelId}>{t('editor.content')}</p>
          {mode === 'visual' ? (
            <RichEditor
              key={editorKey}
              initial={draft.content}
              initialType={draft.format === 'markdown' ? 'markdown' : 'html'}
              labelId={contentLabelId}
              onChange={onEditorChange}
              onReady={setEditor}
            />
          ) : (
            <textarea className="markdown-source" aria-labelledby={contentLabelId} value={draft.content} rows={18}
                      onChange={(e) => { change({ content: e.target.value, format: 'markdown' }); setTextRevision((r) => r + 1); }} />
          )}
          <p className="hint">{t('editor.autosaveHint')}</p>
          <Field label={t('editor.excerpt')}>
            <textarea value={draft.excerpt} rows={2} onChange={(e) => change({ excerpt: e.target.value })} />
          </Field>
          <PiiPanel
            mode={mode}
            editor={mode === 'visual' ? editor : null}
            markdown={mode === 'markdown' ? draft.content : ''}
            revision={textRevision}
            onMarkdownChange={(text) => { change({ content: text, format: 'markdown' }); setTextRevision((r) => r + 1); }}
          />
          {post ? <RevisionsPanel post={post} onRestored={serverUpdated} /> : null}
        </div>
        <aside className="editor-side" aria-label={t('editor.settings')}>
          {post ? <WorkflowPanel post={post} onChanged={serverUpdated} beforePipeline={saveNow} /> : null}
          <section className="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{t('editor.settings')}</h2>
            <Field label={t('editor.compliance')}>
              <select value={draft.compliance_level}
                      onChange={(e) => change({ compliance_level: e.target.value as Compliance })}>
                {COMPLIANCE_LEVELS.map((c) => <option key={c} value={c}>{t(`compliance.${c}` as MessageKey)}</option>)}
              </select>
            </Field>
            <TermsFieldset legend={t('editor.specialties')} terms={specialties} selected={draft.term_ids} onToggle={toggleTerm} />
            <TermsFieldset legend={t('editor.categories')} terms={plainCategories} selected={draft.term_ids} onToggle={toggleTerm} />
            <TermsFieldset legend={t('editor.tags')} terms={tags} selected={draft.term_ids} onToggle={toggleTerm} />
            <Field label={t('editor.featured')}>
              <select value={draft.featured_media_id ?? ''}
                      onChange={(e) => change({ featured_media_id: e.target.value ? Number(e.target.value) : null })}>
                <option value="">{t('editor.featuredNone')}</option>
                {(media ?? []).map((m) => <option key={m.id} value={m.id}>{m.title.rendered || m.source_url}</option>)}
              </select>
            </Field>
            {featured ? <img className="featured-preview" src={featured.source_url} alt={featured.alt_text} /> : null}
            <ProblemAlert error={mediaError} />
          </section>
        </aside>
      </div>
    </>
  );
}
