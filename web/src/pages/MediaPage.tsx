// Media library: the practice's images and files (GET /wp-json/wp/v2/media,
// the WordPress-compatible API), with their alternative text.
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { WpMedia } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n/i18n';

export function MediaPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<WpMedia[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<WpMedia[]>('/wp-json/wp/v2/media', { query: { per_page: 100 } }).then(setItems, setError);
  }, []);
  return (
    <>
      <PageHeader title={t('media.title')} />
      <ProblemAlert error={error} />
      {items ? (items.length === 0 ? <p>{t('media.empty')}</p> : (
        <ul className="media-grid">
          {items.map((m) => (
            <li key={m.id} className="card">
              {m.mime_type.startsWith('image/') ? <img src={m.source_url} alt={m.alt_text} loading="lazy" /> : null}
              <p><strong>{m.title.rendered || m.source_url}</strong></p>
              <p className="muted">{t('media.alt')}: {m.alt_text || t('media.noAlt')}</p>
            </li>
          ))}
        </ul>
      )) : null}
    </>
  );
}
