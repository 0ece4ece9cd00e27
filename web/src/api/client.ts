// The one way the admin talks to the server: JSON over fetch, same origin, with
// the session cookies. Every error answer is RFC 9457 problem+json; it becomes an
// ApiError carrying the server's localised `title`, `detail`, stable `code`,
// field errors, policy reason and the request id (shown to the person so support
// can find the log line).
//
//   const posts = await api.get<PostList>('/api/v1/posts', { query: { status: 'draft' } });
//   await api.post('/api/v1/posts', { title: 'Novo' });
//
// Browser sessions (see /api/v1/auth/login with session: "cookie"): the access
// and refresh tokens live in HttpOnly cookies; the CSRF token is the readable
// `hcms_csrf` cookie, sent back as X-CSRF-Token on every unsafe method. When the
// access token has expired the client refreshes once and repeats the call; when
// the refresh fails too it reports the session as expired. A 401 `mfa_required`
// (policy challenge) asks the person for a TOTP code (step-up) and repeats.

import type { Language } from '../i18n/messages';

export interface FieldError {
  field: string;
  code: string;
  message?: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  request_id?: string;
  errors?: FieldError[];
  reason?: string;
  required_score?: number;
  trust_score?: number;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  get requestId(): string | undefined {
    return this.problem.request_id;
  }
}

export interface ApiHooks {
  // The session could not be renewed: show the sign-in screen.
  onSessionExpired?: () => void;
  // The policy engine wants an MFA step-up; resolve true once it succeeded.
  onStepUp?: (problem: Problem) => Promise<boolean>;
}

let language: Language = 'pt-BR';
let hooks: ApiHooks = {};
let refreshing: Promise<boolean> | null = null;

export function setApiLanguage(lang: Language): void {
  language = lang;
}

export function setApiHooks(h: ApiHooks): void {
  hooks = h;
}

export function readCookie(name: string): string {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const c = part.trim();
    if (c.startsWith(prefix)) return decodeURIComponent(c.slice(prefix.length));
  }
  return '';
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;       // sent as JSON
  form?: FormData;      // sent as multipart/form-data (uploads)
  signal?: AbortSignal;
  // Internal: do not try to refresh the session / step up on 401.
  noAuthRetry?: boolean;
  // A background read (dashboard cards): report mfa_required as an error
  // instead of opening the step-up dialog.
  noStepUp?: boolean;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Turns any non-2xx answer into a Problem, even when the body is not problem+json
// (a proxy's HTML error page, say).
export async function problemFrom(res: Response): Promise<Problem> {
  const requestId = res.headers.get('X-Request-Id') ?? undefined;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem> & { message?: string };
      return {
        ...body,
        // WordPress-style errors (/wp-json) say {code, message}.
        detail: body.detail ?? (typeof body.message === 'string' ? body.message : undefined),
        title: body.title || res.statusText || `HTTP ${res.status}`,
        status: body.status ?? res.status,
        code: body.code || `http_${res.status}`,
        request_id: body.request_id ?? requestId,
      };
    } catch {
      // fall through
    }
  }
  return {
    title: res.statusText || `HTTP ${res.status}`,
    status: res.status,
    code: `http_${res.status}`,
    request_id: requestId,
  };
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': language === 'en' ? 'en' : 'pt-BR',
  };
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE.has(method)) {
    const csrf = readCookie('hcms_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  try {
    return await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({
      title: language === 'en' ? 'No connection to the server' : 'Sem conexão com o servidor',
      status: 0,
      code: 'network_error',
    });
  }
}

// One refresh at a time, shared by every call that saw the expired token.
export function refreshSession(): Promise<boolean> {
  if (!refreshing) {
    refreshing = send('POST', '/api/v1/auth/refresh', { body: {}, noAuthRetry: true })
      .then((res) => res.ok)
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

const NO_REFRESH_CODES = new Set(['mfa_required', 'invalid_credentials', 'login_throttled']);
// Calls whose 401 is an answer about the credentials just sent, not an expired session.
const CREDENTIAL_PATHS = ['/api/v1/auth/login', '/api/v1/auth/mfa', '/api/v1/auth/refresh',
                          '/api/v1/auth/logout', '/api/v1/auth/step-up'];

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 401 && !opts.noAuthRetry) {
    const problem = await problemFrom(res.clone());
    if (problem.code === 'mfa_required') {
      if (hooks.onStepUp && !opts.noStepUp && (await hooks.onStepUp(problem))) res = await send(method, path, opts);
    } else if (!NO_REFRESH_CODES.has(problem.code) && !CREDENTIAL_PATHS.includes(path)) {
      if (await refreshSession()) {
        res = await send(method, path, opts);
      }
      if (res.status === 401) hooks.onSessionExpired?.();
    }
  }
  if (!res.ok) throw new ApiError(await problemFrom(res));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as unknown as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PATCH', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  upload: <T>(path: string, form: FormData, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, form }),
};
