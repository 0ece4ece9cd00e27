import { Link, useLocation } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';
import { useI18n } from '../i18n/i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <p>{t('notFound.body', { path: location.pathname })}</p>
      <p><Link to="/">{t('notFound.back')}</Link></p>
    </>
  );
}
