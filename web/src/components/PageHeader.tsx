// The page's <h1>, which also sets the document title. After client-side
// navigation the layout moves focus here so screen readers announce the page.
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} — ${t('app.name')} ${t('app.admin')}`;
  }, [title, t]);
  return (
    <div className="page-header">
      <h1 tabIndex={-1} id="page-title">{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  );
}
