// Live updates of a pipeline run: the server pushes the run's progress on
// GET /api/v1/pipeline/runs/{id}/events, as a WebSocket when the browser can open
// one (the session cookie authenticates it; the server checks the Origin) and
// otherwise as Server-Sent Events; polling is the last resort. Every event makes the
// page reload the run (the events say which stage moved, the run carries the
// findings).
import { useEffect } from 'react';

export const POLL_MS = 1000;

export type RunUpdateTransport = 'websocket' | 'sse' | 'poll';

export function runEventsPath(runId: string): string {
  return `/api/v1/pipeline/runs/${encodeURIComponent(runId)}/events`;
}

export function runEventsWebSocketUrl(runId: string, location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${runEventsPath(runId)}`;
}

// Follows the run while `active`; calls `reload` on every event. Returns a stop
// function. `onTransport` says which channel is in use (tests, diagnostics).
export function followRun(runId: string, reload: () => void,
  onTransport: (t: RunUpdateTransport) => void = () => {}): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  const poll = () => {
    if (stopped || timer !== undefined) return;
    onTransport('poll');
    timer = setInterval(reload, POLL_MS);
  };
  const sse = () => {
    if (stopped) return;
    if (typeof EventSource === 'undefined') return poll();
    onTransport('sse');
    source = new EventSource(runEventsPath(runId), { withCredentials: true });
    for (const name of ['run', 'run_started', 'step_started', 'step_finished', 'run_finished']) {
      source.addEventListener(name, () => reload());
    }
    source.onerror = () => {
      // The server ends the stream when the run ends; anything else: poll.
      source?.close();
      source = null;
      reload();
      poll();
    };
  };

  if (typeof WebSocket === 'undefined') {
    sse();
  } else {
    try {
      socket = new WebSocket(runEventsWebSocketUrl(runId, window.location));
      onTransport('websocket');
      socket.onmessage = () => reload();
      socket.onclose = (e: CloseEvent) => {
        socket = null;
        if (stopped) return;
        if (e.code === 1000) {
          reload();  // the run ended: the last state
        } else {
          sse();  // refused, blocked by a proxy, or dropped: fall back
        }
      };
    } catch {
      sse();
    }
  }

  return () => {
    stopped = true;
    socket?.close();
    source?.close();
    if (timer !== undefined) clearInterval(timer);
  };
}

export function useRunUpdates(runId: string, active: boolean, reload: () => void): void {
  useEffect(() => {
    if (!active) return undefined;
    return followRun(runId, reload);
  }, [runId, active, reload]);
}
