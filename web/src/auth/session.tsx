// Who is signed in. On start the admin asks GET /api/v1/auth/me: 200 means a
// browser session exists (cookies), anything else shows the sign-in screen.
// Sign-in is two steps when the account has MFA: POST /api/v1/auth/login answers
// {mfa_required, mfa_token}, then POST /api/v1/auth/mfa with the TOTP code.
// A policy challenge on any later call (401 mfa_required) opens the step-up
// dialog (StepUpDialog), and a session that can no longer be refreshed sends the
// person back to sign-in with a message, keeping the page they were on.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, api, refreshSession, setApiHooks } from '../api/client';
import type { Problem } from '../api/client';
import type { LoginMfaRequired, LoginTokens, Me } from '../api/types';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

export type LoginResult = { kind: 'done' } | { kind: 'mfa'; mfaToken: string };

interface StepUpRequest {
  problem: Problem;
  resolve: (ok: boolean) => void;
}

interface AuthValue {
  status: AuthStatus;
  me: Me | null;
  // Why the person is on the sign-in screen: expired session, or logged out.
  notice: 'expired' | 'logged_out' | null;
  login: (email: string, password: string) => Promise<LoginResult>;
  verifyMfa: (mfaToken: string, code: { otp?: string; recovery_code?: string }) => Promise<void>;
  logout: () => Promise<void>;
  reload: () => Promise<void>;
  stepUp: StepUpRequest | null;
  finishStepUp: (ok: boolean) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<AuthValue['notice']>(null);
  const [stepUp, setStepUp] = useState<StepUpRequest | null>(null);
  const stepUpRef = useRef<StepUpRequest | null>(null);

  const reload = useCallback(async () => {
    // noAuthRetry: a missing session at start is not an "expired" one.
    const fetchMe = () => api.get<Me>('/api/v1/auth/me', { noAuthRetry: true });
    try {
      let m: Me;
      try {
        m = await fetchMe();
      } catch (e) {
        // The access cookie expired while the page was closed: the refresh
        // cookie may still be good.
        if (!(e instanceof ApiError && e.status === 401 && (await refreshSession()))) throw e;
        m = await fetchMe();
      }
      setMe(m);
      setStatus('authenticated');
    } catch {
      setMe(null);
      setStatus('anonymous');
    }
  }, []);

  useEffect(() => {
    setApiHooks({
      onSessionExpired: () => {
        setMe(null);
        setNotice('expired');
        setStatus('anonymous');
      },
      onStepUp: (problem) =>
        new Promise<boolean>((resolve) => {
          const req = { problem, resolve };
          stepUpRef.current = req;
          setStepUp(req);
        }),
    });
    void reload();
    return () => setApiHooks({});
  }, [reload]);

  const finishStepUp = useCallback((ok: boolean) => {
    const req = stepUpRef.current;
    stepUpRef.current = null;
    setStepUp(null);
    req?.resolve(ok);
  }, []);

  const login = useCallback(
    async (email: string, password: string): Promise<LoginResult> => {
      const r = await api.post<LoginTokens | LoginMfaRequired>('/api/v1/auth/login', {
        email,
        password,
        session: 'cookie',
      });
      if ('mfa_required' in r && r.mfa_required) return { kind: 'mfa', mfaToken: r.mfa_token };
      setNotice(null);
      await reload();
      return { kind: 'done' };
    },
    [reload],
  );

  const verifyMfa = useCallback(
    async (mfaToken: string, code: { otp?: string; recovery_code?: string }) => {
      await api.post<LoginTokens>('/api/v1/auth/mfa', {
        mfa_token: mfaToken,
        ...code,
        session: 'cookie',
      });
      setNotice(null);
      await reload();
    },
    [reload],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout', {}, { noAuthRetry: true });
    } catch {
      // the cookies are cleared by the answer; if it failed they expire anyway
    }
    setMe(null);
    setNotice('logged_out');
    setStatus('anonymous');
  }, []);

  const value = useMemo<AuthValue>(
    () => ({ status, me, notice, login, verifyMfa, logout, reload, stepUp, finishStepUp }),
    [status, me, notice, login, verifyMfa, logout, reload, stepUp, finishStepUp],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
