/**
 * The `u` prompt (Locust's "Edit"): exact user count and spawn rate, two fields. Pure: the app owns
 * the text and the focus (see `keys.ts`); this only draws them. Two lines: fields, then help or the
 * validation error.
 */
import { Box } from 'ink';
import { Line, type Segment, seg } from './Line.js';
import type { EditorState } from './ui-state.js';

export const EDITOR_LINES = 2;

export interface UserEditorProps {
  readonly editor: EditorState;
  readonly width: number;
  /** Open model: the user count is the cap on concurrent users. */
  readonly openModel: boolean;
}

export function UserEditor({ editor, width, openModel }: UserEditorProps) {
  const field = (name: 'users' | 'rate'): Segment[] => {
    const focused = editor.field === name;
    const text = editor[name];
    return [seg('[', { dim: !focused }), seg(` ${text}${focused ? '▏' : ' '}`, { inverse: focused && editor.fresh, bold: focused, color: focused ? 'cyan' : undefined }), seg(']', { dim: !focused })];
  };
  const fields: Segment[] = [
    seg(openModel ? 'max users ' : 'users ', { bold: editor.field === 'users' }),
    ...field('users'),
    seg('   spawn rate ', { bold: editor.field === 'rate' }),
    ...field('rate'),
    seg(' users/s'),
  ];
  const second: Segment[] =
    editor.error !== null
      ? [seg(editor.error, { color: 'red', bold: true })]
      : [seg('Tab switches field · Enter applies · Esc cancels', { dim: true })];
  return (
    <Box flexDirection="column">
      <Line segments={fields} width={width} />
      <Line segments={second} width={width} />
    </Box>
  );
}
