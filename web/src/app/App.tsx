// Routes of the admin (all under /admin; the server answers index.html for any
// /admin/* path so deep links and reloads work).
import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/session';
import { Layout } from '../components/Layout';
import { useI18n } from '../i18n/i18n';
import { AccountPage } from '../pages/AccountPage';
import { AuditPage } from '../pages/AuditPage';
import { MediaPage } from '../pages/MediaPage';
import { PluginsPage } from '../pages/PluginsPage';
import { PrivacyPage } from '../pages/PrivacyPage';
import { SettingsPage } from '../pages/SettingsPage';
import { UsersPage } from '../pages/UsersPage';
import { DashboardPage } from '../pages/DashboardPage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { PipelineRunPage } from '../pages/PipelineRunPage';
import { PostsPage } from '../pages/PostsPage';

// The editor (TipTap, ProseMirror) loads only when someone opens a post.
const PostEditorPage = lazy(() => import('../pages/PostEditorPage').then((m) => ({ default: m.PostEditorPage })));

function Loading() {
  const { t } = useI18n();
  return <p className="loading" role="status">{t('app.loading')}</p>;
}

function RequireAuth() {
  const { status } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (status === 'loading') {
    return <p className="loading" role="status">{t('app.loading')}</p>;
  }
  if (status === 'anonymous') {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Layout />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route index element={<DashboardPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="posts" element={<PostsPage />} />
        <Route path="pipeline/runs/:runId" element={<PipelineRunPage />} />
        <Route path="media" element={<MediaPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="plugins" element={<PluginsPage />} />
        <Route path="privacy" element={<PrivacyPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="posts/:id" element={<Suspense fallback={<Loading />}><PostEditorPage /></Suspense>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
