import { describe, expect, it } from 'vitest';
import { buildTextMap, docRange, replacementsFrom } from './textmap';
import type { DocLike, TextNodeLike } from './textmap';

// A tiny stand-in for a ProseMirror document: paragraphs of text nodes, with
// positions counted the way ProseMirror does (1 to enter a block).
function doc(paragraphs: string[][]): DocLike {
  return {
    descendants(f) {
      let pos = 0;
      for (const para of paragraphs) {
        const block: TextNodeLike = { isText: false, isTextblock: true, type: { name: 'paragraph' } };
        f(block, pos);
        let inner = pos + 1;
        for (const t of para) {
          f({ isText: true, isTextblock: false, text: t, type: { name: 'text' } }, inner);
          inner += t.length;
        }
        pos = inner + 1;
      }
    },
  };
}

describe('buildTextMap', () => {
  it('joins blocks with newlines and maps code points to positions', () => {
    const m = buildTextMap(doc([['Paciente ', 'Maria'], ['CPF 529.982.247-25']]));
    expect(m.text).toBe('Paciente Maria\nCPF 529.982.247-25');
    expect(m.positions[0]).toBe(1);
    expect(m.positions[9]).toBe(10); // "M" of Maria, second text node
    expect(m.positions[14]).toBe(-1);
    const r = docRange(m, 19, 33); // the CPF
    expect(r).toEqual({ from: 21, to: 35 });
  });

  it('counts characters outside the BMP as one code point, two positions', () => {
    const m = buildTextMap(doc([['😀 CPF 1']]));
    expect(Array.from(m.text).length).toBe(m.positions.length);
    expect(docRange(m, 0, 1)).toEqual({ from: 1, to: 3 });
    expect(docRange(m, 2, 5)).toEqual({ from: 4, to: 7 });
  });

  it('refuses ranges that do not fall on text', () => {
    const m = buildTextMap(doc([['ab'], ['cd']]));
    expect(docRange(m, 2, 3)).toBeNull();
    expect(docRange(m, 3, 99)).toBeNull();
  });
});

describe('replacementsFrom', () => {
  it('lines up replacements of different lengths with the original ranges', () => {
    const original = 'CPF 529.982.247-25 tel (11) 98765-4321 fim';
    const anonymized = 'CPF [cpf] tel ***-4321 fim';
    const applied = [
      { type: 'cpf', start: 4, end: 9 },
      { type: 'phone', start: 14, end: 22 },
    ];
    const detections = [
      { type: 'phone', start: 23, end: 38 },
      { type: 'cpf', start: 4, end: 18 },
    ];
    const r = replacementsFrom(original, anonymized, applied, detections);
    expect(r).toEqual([
      { start: 4, end: 18, text: '[cpf]', type: 'cpf' },
      { start: 23, end: 38, text: '***-4321', type: 'phone' },
    ]);
  });

  it('gives up when the answer does not match the text', () => {
    expect(replacementsFrom('abc', 'x', [{ type: 'cpf', start: 1, end: 2 }], [])).toBeNull();
  });
});
