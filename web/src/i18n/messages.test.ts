import { describe, expect, it } from 'vitest';
import { en, format, ptBR, translate } from './messages';
import type { MessageKey } from './messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('English has exactly the pt-BR keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ptBR).sort());
  });

  it('every translation keeps the same placeholders and is not empty', () => {
    for (const key of Object.keys(ptBR) as MessageKey[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ptBR[key]));
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('formats placeholders and leaves unknown ones visible', () => {
    expect(format('Olá, {name}.', { name: 'Ana' })).toBe('Olá, Ana.');
    expect(format('{a} e {b}', { a: 1 })).toBe('1 e {b}');
    expect(translate('en', 'dashboard.welcome', { name: 'Ana' })).toBe('Hello, Ana.');
    expect(translate('pt-BR', 'dashboard.welcome', { name: 'Ana' })).toBe('Olá, Ana.');
  });
});
