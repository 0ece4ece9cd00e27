// Plugins: built-in and uploaded WebAssembly plugins with their health (calls,
// errors, timeouts, latency), on/off for this practice, and upload (manifest +
// .wasm). APIs: GET /api/v1/plugins/status, PATCH /api/v1/plugins/{id},
// POST /api/v1/plugins (docs/plugins.md).
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { toBase64 } from '../api/base64';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { TableScroll } from '../components/TableScroll';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';

interface PluginRow {
  id: number;
  name: string;
  version: string;
  enabled: boolean;
  builtin: boolean;
  calls: number;
  errors: number;
  timeouts: number;
  mean_ms: number;
  max_ms: number;
}

export function PluginsPage() {
  const { t, formatNumber } = useI18n();
  const [items, setItems] = useState<PluginRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [manifest, setManifest] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [notice, setNotice] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await api.get<{ items: PluginRow[] }>('/api/v1/plugins/status')).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function toggle(p: PluginRow) {
    try {
      await api.patch(`/api/v1/plugins/${p.id}`, { enabled: !p.enabled });
      await load();
    } catch (e) {
      setError(e);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    setUploadError(null);
    setNotice(false);
    try {
      if (!file) throw new Error(t('plugins.wasm'));
      const body = { manifest: JSON.parse(manifest) as unknown, wasm_base64: toBase64(await file.arrayBuffer()) };
      await api.post('/api/v1/plugins', body);
      setNotice(true);
      await load();
    } catch (err) {
      setUploadError(err);
    }
  }

  return (
    <>
      <PageHeader title={t('plugins.title')} />
      <ProblemAlert error={error} />
      {items ? (
        <TableScroll label={t('plugins.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('plugins.name')}</th>
              <th scope="col">{t('plugins.version')}</th>
              <th scope="col">{t('plugins.enabled')}</th>
              <th scope="col">{t('plugins.calls')}</th>
              <th scope="col">{t('plugins.errors')}</th>
              <th scope="col">{t('plugins.latency')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>{p.name}{p.builtin ? <> <span className="badge">{t('plugins.builtin')}</span></> : null}</td>
                <td>{p.version}</td>
                <td>
                  <input type="checkbox" checked={p.enabled} aria-label={t('plugins.toggle', { name: p.name })}
                         onChange={() => void toggle(p)} />
                </td>
                <td>{formatNumber(p.calls)}</td>
                <td>{formatNumber(p.errors + p.timeouts)}</td>
                <td>{formatNumber(p.mean_ms)} / {formatNumber(p.max_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      ) : null}
      <form className="card" onSubmit={upload} aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t('plugins.upload')}</h2>
        {notice ? <p className="success" role="status">{t('plugins.uploaded')}</p> : null}
        <ProblemAlert error={uploadError} />
        <Field label={t('plugins.manifest')}>
          <textarea rows={6} value={manifest} onChange={(e) => setManifest(e.target.value)} className="markdown-source" />
        </Field>
        <Field label={t('plugins.wasm')}>
          <input type="file" accept=".wasm,application/wasm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        <button type="submit" className="button-primary">{t('plugins.send')}</button>
      </form>
    </>
  );
}
