// Highlights personal data found by the LGPD analyser inside the TipTap editor
// with ProseMirror decorations (the document itself is not changed). Each span
// gets a class, a dotted underline (not colour alone) and its type in data-pii.
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

export const piiKey = new PluginKey<DecorationSet>('hcmsPii');

export interface PiiSpan {
  from: number;
  to: number;
  type: string;
  label: string;
}

export const PiiHighlight = Extension.create({
  name: 'hcmsPiiHighlight',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: piiKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, old) {
            const spans = tr.getMeta(piiKey) as PiiSpan[] | undefined;
            if (spans) {
              return DecorationSet.create(
                tr.doc,
                spans.map((s) =>
                  Decoration.inline(s.from, s.to, {
                    class: 'pii-mark',
                    'data-pii': s.type,
                    title: s.label,
                  }),
                ),
              );
            }
            return old.map(tr.mapping, tr.doc);
          },
        },
        props: {
          decorations(state) {
            return piiKey.getState(state);
          },
        },
      }),
    ];
  },
});
