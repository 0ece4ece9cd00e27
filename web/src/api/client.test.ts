import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, problemFrom } from './client';

describe('buildUrl', () => {
  it('skips empty values and encodes the rest', () => {
    expect(buildUrl('/api/v1/posts')).toBe('/api/v1/posts');
    expect(buildUrl('/api/v1/posts', { status: 'draft', search: 'dor de cabeça', page: 2, x: '', y: undefined }))
      .toBe('/api/v1/posts?status=draft&search=dor+de+cabe%C3%A7a&page=2');
  });
});

describe('problemFrom', () => {
  it('reads an RFC 9457 problem with its code, fields and request id', async () => {
    const body = {
      type: 'urn:hcms:problem:validation_failed', title: 'Dados inválidos', status: 422,
      code: 'validation_failed', detail: 'Corrija os campos.', request_id: 'abc',
      errors: [{ field: 'title', code: 'required', message: 'obrigatório' }],
    };
    const p = await problemFrom(new Response(JSON.stringify(body), {
      status: 422, headers: { 'Content-Type': 'application/problem+json' },
    }));
    expect(p).toMatchObject({ code: 'validation_failed', title: 'Dados inválidos', request_id: 'abc' });
    expect(p.errors?.[0].field).toBe('title');
    const e = new ApiError(p);
    expect(e.status).toBe(422);
    expect(e.requestId).toBe('abc');
    expect(e.message).toBe('Dados inválidos: Corrija os campos.');
  });

  it('keeps the policy reason and trust scores of a denial', async () => {
    const p = await problemFrom(new Response(JSON.stringify({
      title: 'Acesso negado', status: 403, code: 'insufficient_trust', reason: 'publish needs 85',
      required_score: 85, trust_score: 62, request_id: 'r1',
    }), { status: 403, headers: { 'Content-Type': 'application/problem+json' } }));
    expect(p.reason).toBe('publish needs 85');
    expect(p.required_score).toBe(85);
    expect(p.trust_score).toBe(62);
  });

  it('turns a non-JSON error page into a problem with the header request id', async () => {
    const p = await problemFrom(new Response('<html>bad gateway</html>', {
      status: 502, statusText: 'Bad Gateway',
      headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'rid-9' },
    }));
    expect(p).toMatchObject({ status: 502, code: 'http_502', title: 'Bad Gateway', request_id: 'rid-9' });
  });
});
