import { useAuth } from '../auth/session';
import { PageHeader } from '../components/PageHeader';
import { useI18n } from '../i18n/i18n';

export function DashboardPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  return (
    <>
      <PageHeader title={t('dashboard.title')} />
      {me ? <p>{t('dashboard.welcome', { name: me.user.name })}</p> : null}
    </>
  );
}
