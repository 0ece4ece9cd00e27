// Shapes of the server's JSON answers the admin reads. Field names follow the
// native API (snake_case), documented in docs/api.md and the route headers.

export type Role =
  | 'super_admin'
  | 'practice_admin'
  | 'editor'
  | 'doctor'
  | 'reviewer'
  | 'contributor'
  | 'reader';

export interface Registration {
  kind: string;
  number: string;
  uf: string;
  rqe: string | null;
  display: string;
  status: string;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  status: string;
  specialty: string | null;
  mfa_enabled: boolean;
  last_login_at: string | null;
  created_at: string;
  registration: Registration | null;
}

export interface Me {
  user: User;
  tenant: { id: number; slug: string };
  role: Role;
  amr: string[];
  auth_method: string;
  trust_score: number;
  session_id: string | null;
}

export interface LoginTokens {
  token_type: string;
  expires_in: number;
  trust_score: number;
  amr: string[];
  session_id: string;
  user: User;
  csrf_token?: string;
}

export interface LoginMfaRequired {
  mfa_required: true;
  mfa_token: string;
  expires_in: number;
}

export interface SiteInfo {
  name: string;
  slug: string;
  url: string;
  timezone: string;
  locale: string;
}

// Content (native API, /api/v1/posts; docs/api/openapi.json).
export type PostStatus = 'draft' | 'pending' | 'approved' | 'future' | 'publish' | 'private' | 'trash' | 'inherit';
export type Compliance = 'public' | 'professional' | 'restricted' | 'phi';
export const COMPLIANCE_LEVELS: Compliance[] = ['public', 'professional', 'restricted', 'phi'];
export const POST_STATUSES: PostStatus[] = ['draft', 'pending', 'approved', 'future', 'publish', 'private', 'trash'];

export interface Post {
  id: number;
  type: 'post' | 'page' | 'attachment';
  status: PostStatus;
  title: string;
  slug: string;
  excerpt: string;
  content_html: string;
  content?: string;
  format: 'html' | 'markdown';
  author_id: number | null;
  featured_media_id: number | null;
  compliance_level: Compliance;
  term_ids: number[];
  date_gmt: string;
  modified_gmt: string;
  version: number;
  source_url?: string;
  mime_type?: string;
}

export interface PostPage {
  items: Post[];
  total: number;
  page: number;
  per_page: number;
}

export interface Term {
  id: number;
  taxonomy: string;
  name: string;
  slug: string;
  description: string;
  parent_id: number | null;
  specialty: string | null;
  count: number;
}

export interface Revision {
  id: number;
  author_id: number | null;
  title: string;
  format: string;
  created_at: string;
}

export interface RevisionDiff {
  from: number;
  to: number;
  title_changed: boolean;
  lines: { op: ' ' | '-' | '+'; text: string }[];
}

export interface Transition {
  id: number;
  from: PostStatus;
  to: PostStatus;
  action: string;
  actor_id: number | null;
  comment: string;
  created_at: string;
}

export type TransitionAction =
  | 'submit' | 'approve' | 'reject' | 'publish' | 'schedule' | 'unschedule'
  | 'make_private' | 'unpublish' | 'trash' | 'restore';

// LGPD (docs/api-lgpd.md). Offsets are Unicode code points, end exclusive.
export interface Detection {
  type: string;
  start: number;
  end: number;
  confidence: number;
  category: string;
  operator: string;
  validated: boolean;
  professional: boolean;
  escalated: boolean;
}

export interface Analysis {
  risk_score: number;
  status: string;
  linked_person: boolean;
  code_points: number;
  detections: Detection[];
  recommendations: { code: string; text: string }[];
}

export interface AnonymizeResult {
  content: string;
  applied: { type: string; operator: string; start: number; end: number }[];
  analysis: Analysis;
}

// WordPress-compatible media (GET /wp-json/wp/v2/media).
export interface WpMedia {
  id: number;
  source_url: string;
  mime_type: string;
  alt_text: string;
  title: { rendered: string };
  media_details?: { width?: number; height?: number };
}

// Pipeline (docs/plugins.md): a run of the five stages over a post.
export interface PipelineFinding {
  rule?: string;
  title?: string;
  severity?: string;
  start?: number;
  end?: number;
  match?: string;
  remediation?: string;
  type?: string;
}

export interface PipelineStep {
  stage: string;
  plugin: string;
  plugin_version: string;
  status: string;
  attempts: number;
  error_code?: string;
  result_status?: string;
  decision?: { decision: string; reviewer_id: number | null; note: string; decided_at: string };
  output?: { status?: string; findings?: PipelineFinding[]; detections?: PipelineFinding[]; [k: string]: unknown };
}

// GET /api/v1/posts/{id}/compliance: may the current revision be published?
export interface PostCompliance {
  post_id: number;
  status: string;
  pipeline: {
    revision_id: number | null;
    publishable: boolean;
    reason: 'no_run' | 'run_not_completed' | 'stale_run' | null;
    detail: string | null;
    run: { id: string; status: string; revision_id: number | null } | null;
  };
  personal_data: { risk_score: number; status: string; types: Record<string, number> } | null;
}

export interface PipelineRun {
  id: string;
  post_id: number;
  revision_id: number | null;
  status: string;
  created_at: string;
  updated_at: string;
  finished_at?: string;
  error_code?: string;
  steps: PipelineStep[];
}
