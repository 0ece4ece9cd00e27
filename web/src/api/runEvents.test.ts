import { afterEach, describe, expect, it, vi } from 'vitest';
import { followRun, runEventsWebSocketUrl } from './runEvents';

// Stand-ins for the browser's WebSocket and EventSource, driven by the tests.
class FakeWebSocket {
  static last: FakeWebSocket | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  closed = false;
  constructor(public url: string) { FakeWebSocket.last = this; }
  close() { this.closed = true; }
}
class FakeEventSource {
  static last: FakeEventSource | null = null;
  listeners = new Map<string, () => void>();
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string, public init: unknown) { FakeEventSource.last = this; }
  addEventListener(name: string, fn: () => void) { this.listeners.set(name, fn); }
  close() { this.closed = true; }
}

function install() {
  vi.stubGlobal('window', { location: { protocol: 'https:', host: 'clinica.example' } });
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('EventSource', FakeEventSource);
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('runEventsWebSocketUrl', () => {
  it('uses wss on https pages and encodes the run id', () => {
    expect(runEventsWebSocketUrl('a/b', { protocol: 'https:', host: 'x.example:8443' }))
      .toBe('wss://x.example:8443/api/v1/pipeline/runs/a%2Fb/events');
    expect(runEventsWebSocketUrl('r1', { protocol: 'http:', host: '127.0.0.1:8080' }))
      .toBe('ws://127.0.0.1:8080/api/v1/pipeline/runs/r1/events');
  });
});

describe('followRun', () => {
  it('reloads on every WebSocket message and once more when the run ends', () => {
    install();
    const reload = vi.fn();
    const transports: string[] = [];
    const stop = followRun('r1', reload, (t) => transports.push(t));
    const ws = FakeWebSocket.last!;
    expect(ws.url).toBe('wss://clinica.example/api/v1/pipeline/runs/r1/events');
    ws.onmessage!({ data: '{"event":"step_started","data":{"stage":"s1.1"}}' });
    ws.onmessage!({ data: '{"event":"step_finished","data":{"stage":"s1.1"}}' });
    ws.onclose!({ code: 1000 });
    expect(reload).toHaveBeenCalledTimes(3);
    expect(transports).toEqual(['websocket']);
    expect(FakeEventSource.last).toBeNull();
    stop();
  });

  it('falls back to Server-Sent Events, then to polling', () => {
    install();
    vi.useFakeTimers();
    FakeEventSource.last = null;
    const reload = vi.fn();
    const transports: string[] = [];
    const stop = followRun('r2', reload, (t) => transports.push(t));
    FakeWebSocket.last!.onclose!({ code: 1006 });  // refused or dropped
    const es = FakeEventSource.last!;
    expect(es.url).toBe('/api/v1/pipeline/runs/r2/events');
    es.listeners.get('step_finished')!();
    expect(reload).toHaveBeenCalledTimes(1);
    es.onerror!();
    expect(es.closed).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(transports).toEqual(['websocket', 'sse', 'poll']);
    expect(reload.mock.calls.length).toBeGreaterThanOrEqual(4);
    stop();
    const calls = reload.mock.calls.length;
    vi.advanceTimersByTime(5000);
    expect(reload.mock.calls.length).toBe(calls);  // stopped
  });

  it('stops the socket when the page no longer follows the run', () => {
    install();
    const stop = followRun('r3', vi.fn());
    const ws = FakeWebSocket.last!;
    stop();
    expect(ws.closed).toBe(true);
    ws.onclose!({ code: 1005 });  // the close arrives after stop: no fallback
    expect(FakeEventSource.last?.url).not.toBe('/api/v1/pipeline/runs/r3/events');
  });
});
