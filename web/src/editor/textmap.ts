// The editor's text as the LGPD analyser sees it, and the way back to document
// positions. The analyser answers Unicode code-point offsets (end exclusive);
// ProseMirror positions count UTF-16 units plus node boundaries. Blocks are
// separated by "\n" (mapped to -1: not a place in the text).

export interface TextNodeLike {
  isText: boolean;
  isTextblock: boolean;
  text?: string | undefined;
  type: { name: string };
}

export interface DocLike {
  descendants(f: (node: TextNodeLike, pos: number) => boolean | void): void;
}

export interface TextMap {
  text: string;
  // positions[i]: document position of code point i; -1 for separators.
  positions: number[];
  // UTF-16 length of code point i.
  widths: number[];
}

export function buildTextMap(doc: DocLike): TextMap {
  let text = '';
  const positions: number[] = [];
  const widths: number[] = [];
  let started = false;
  const separator = () => {
    text += '\n';
    positions.push(-1);
    widths.push(1);
  };
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      if (started) separator();
      started = true;
      return true;
    }
    if (node.type.name === 'hardBreak') {
      separator();
      return false;
    }
    if (node.isText && node.text) {
      let offset = 0;
      for (const ch of node.text) {
        text += ch;
        positions.push(pos + offset);
        widths.push(ch.length);
        offset += ch.length;
      }
      return false;
    }
    return true;
  });
  return { text, positions, widths };
}

// The document range of code points [start, end), or null when it does not
// fall on text (a stale analysis).
export function docRange(map: TextMap, start: number, end: number): { from: number; to: number } | null {
  if (start < 0 || end > map.positions.length || start >= end) return null;
  let s = start;
  while (s < end && map.positions[s] < 0) s++;
  let e = end - 1;
  while (e >= s && map.positions[e] < 0) e--;
  if (s > e) return null;
  return { from: map.positions[s], to: map.positions[e] + map.widths[e] };
}

export interface Replacement {
  start: number; // code points in the original text
  end: number;
  text: string;
  type: string;
}

// Pairs the anonymiser's answer with the original text: `applied` locates each
// replacement in the new text; the text between replacements is unchanged, so
// each original range starts where the unchanged prefix says, and its end is
// that of the detection that starts there. Returns null when they do not line up.
export function replacementsFrom(
  original: string,
  anonymized: string,
  applied: { type: string; start: number; end: number }[],
  detections: { type: string; start: number; end: number }[],
): Replacement[] | null {
  const newCps = Array.from(anonymized);
  const oldLen = Array.from(original).length;
  const sorted = [...applied].sort((a, b) => a.start - b.start);
  const out: Replacement[] = [];
  let delta = 0; // new - old, so far
  for (const a of sorted) {
    const start = a.start - delta;
    const det = detections.find((d) => d.start === start && d.type === a.type);
    if (!det || det.end > oldLen) return null;
    const text = newCps.slice(a.start, a.end).join('');
    out.push({ start, end: det.end, text, type: a.type });
    delta += (a.end - a.start) - (det.end - det.start);
  }
  return out;
}
