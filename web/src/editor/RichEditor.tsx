// The TipTap editor with an accessible toolbar (real buttons, aria-pressed,
// labelled group). No inline <style> is injected (injectCSS: false): the
// admin's Content-Security-Policy forbids it; the editor's CSS is in styles.css.
import { EditorContent, useEditor } from '@tiptap/react';
import type { Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Markdown } from '@tiptap/markdown';
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { PiiHighlight } from './piiHighlight';

interface Props {
  initial: string;
  initialType: 'html' | 'markdown';
  labelId: string;
  onChange: (editor: Editor) => void;
  onReady: (editor: Editor | null) => void;
}

interface Tool {
  label: MessageKey;
  text: string;
  run: (e: Editor) => void;
  active?: (e: Editor) => boolean;
}

const TOOLS: Tool[] = [
  { label: 'editor.bold', text: 'B', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { label: 'editor.italic', text: 'I', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { label: 'editor.h2', text: 'H2', run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive('heading', { level: 2 }) },
  { label: 'editor.h3', text: 'H3', run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), active: (e) => e.isActive('heading', { level: 3 }) },
  { label: 'editor.bullet', text: '•', run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
  { label: 'editor.ordered', text: '1.', run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
  { label: 'editor.quote', text: '❝', run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive('blockquote') },
  { label: 'editor.undo', text: '↶', run: (e) => e.chain().focus().undo().run() },
  { label: 'editor.redo', text: '↷', run: (e) => e.chain().focus().redo().run() },
];

export function RichEditor({ initial, initialType, labelId, onChange, onReady }: Props) {
  const { t } = useI18n();
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: false }), Markdown, PiiHighlight],
    content: initial,
    contentType: initialType,
    injectCSS: false,
    immediatelyRender: true,
    editorProps: {
      attributes: {
        class: 'rich-content',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId,
      },
    },
    onUpdate: ({ editor: e }) => onChange(e),
  });

  useEffect(() => {
    onReady(editor);
    return () => onReady(null);
  }, [editor, onReady]);

  if (!editor) return null;
  return (
    <div className="rich-editor">
      <div className="rich-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {TOOLS.map((tool) => (
          <button
            key={tool.label}
            type="button"
            className="button-small"
            title={t(tool.label)}
            aria-pressed={tool.active ? tool.active(editor) : undefined}
            onClick={() => tool.run(editor)}
          >
            <span aria-hidden="true">{tool.text}</span>
            <span className="visually-hidden">{t(tool.label)}</span>
          </button>
        ))}
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
