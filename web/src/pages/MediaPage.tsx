// Media library: the practice's images and files (GET /wp-json/wp/v2/media,
// the WordPress-compatible API) and upload (POST /api/v1/media: the server
// accepts PNG, JPEG, GIF, WebP and PDF, by their bytes, up to 8 MiB).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { toBase64 } from '../api/base64';
import { api } from '../api/client';
import type { WpMedia } from '../api/types';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';

export function MediaPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<WpMedia[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setItems(await api.get<WpMedia[]>('/wp-json/wp/v2/media', { query: { per_page: 100 } }));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setUploadError(null);
    setUploaded(null);
    try {
      const body = { filename: file.name, data_base64: toBase64(await file.arrayBuffer()),
                     ...(title.trim() ? { title: title.trim() } : {}) };
      const created = await api.post<{ id: number; title: string }>('/api/v1/media', body);
      setUploaded(created.title);
      setFile(null);
      setTitle('');
      if (fileInput.current) fileInput.current.value = '';
      await load();
    } catch (err) {
      setUploadError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={t('media.title')} />
      <form className="card" onSubmit={upload} aria-labelledby="media-upload-heading">
        <h2 id="media-upload-heading">{t('media.upload')}</h2>
        {uploaded ? <p className="success" role="status">{t('media.uploaded', { title: uploaded })}</p> : null}
        <ProblemAlert error={uploadError} />
        <div className="inline-fields">
          <Field label={t('media.file')} hint={t('media.fileHint')} required>
            <input ref={fileInput} type="file" accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
                   onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </Field>
          <Field label={t('media.fileTitle')}><input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} /></Field>
        </div>
        <button type="submit" className="button-primary" disabled={busy || !file}>{t('media.send')}</button>
      </form>
      <ProblemAlert error={error} />
      {items ? (items.length === 0 ? <p>{t('media.empty')}</p> : (
        <ul className="media-grid">
          {items.map((m) => (
            <li key={m.id} className="card">
              {m.mime_type.startsWith('image/') ? <img src={m.source_url} alt={m.alt_text} loading="lazy" /> : null}
              <p><strong>{m.title.rendered || m.source_url}</strong></p>
              <p className="muted">{m.mime_type}</p>
              <p className="muted">{t('media.alt')}: {m.alt_text || t('media.noAlt')}</p>
            </li>
          ))}
        </ul>
      )) : null}
    </>
  );
}
