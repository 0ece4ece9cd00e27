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
