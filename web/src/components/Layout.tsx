// The frame of every signed-in page: skip link, header (practice, language,
// account), main navigation and the <main> landmark. On each client-side
// navigation focus moves to the new page's <h1>, so keyboard and screen-reader
// users land on the content.
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { api } from '../api/client';
import type { Role, SiteInfo } from '../api/types';
import { useAuth } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { LanguageSwitch } from './LanguageSwitch';
import { StepUpDialog } from './StepUpDialog';

export interface NavItem {
  to: string;
  label: MessageKey;
  end?: boolean;
  // Roles that see the item (the server decides what they may do; this only
  // keeps the menu to what the person can use). Absent: everyone.
  roles?: Role[];
}

const ADMINS: Role[] = ['super_admin', 'practice_admin'];

export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'nav.dashboard', end: true },
  { to: '/posts', label: 'nav.posts' },
  { to: '/media', label: 'nav.media' },
  { to: '/users', label: 'nav.users', roles: ADMINS },
  { to: '/plugins', label: 'nav.plugins', roles: ADMINS },
  { to: '/audit', label: 'nav.audit', roles: [...ADMINS, 'reviewer'] },
  { to: '/privacy', label: 'nav.privacy', roles: ADMINS },
  { to: '/settings', label: 'nav.settings', roles: ADMINS },
];

export function Layout() {
  const { t } = useI18n();
  const { me, logout } = useAuth();
  const location = useLocation();
  const [site, setSite] = useState<SiteInfo | null>(null);
  const first = useRef(true);

  useEffect(() => {
    api.get<SiteInfo>('/api/v1/site').then(setSite, () => setSite(null));
  }, []);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = document.getElementById('page-title');
    h1?.focus();
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">{t('app.skipToContent')}</a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">+</span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-sub">{site?.name ?? t('app.admin')}</span>
        </div>
        <div className="topbar-tools">
          <LanguageSwitch />
          {me ? (
            <div className="account" aria-label={t('user.menu', { name: me.user.name })} role="group">
              <NavLink to="/account" className="account-name">{me.user.name}</NavLink>
              <button type="button" onClick={() => void logout()}>{t('user.logout')}</button>
            </div>
          ) : null}
        </div>
      </header>
      <div className="body">
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {NAV_ITEMS.filter((item) => !item.roles || (me && item.roles.includes(me.role))).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>{t(item.label)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <StepUpDialog />
    </div>
  );
}
