import type { PostStatus } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const TONE: Partial<Record<PostStatus, string>> = {
  publish: 'badge-ok',
  approved: 'badge-ok',
  pending: 'badge-warn',
  trash: 'badge-danger',
};

export function StatusBadge({ status }: { status: PostStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${TONE[status] ?? ''}`}>{t(`status.${status}` as MessageKey)}</span>;
}
