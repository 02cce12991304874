/**
 * The `n` form (see `new-test.ts`): three lines at the bottom — users and rate, the host, then help
 * or the problem with what was typed. Pure: the app owns the state.
 */
import { Box } from 'ink';
import { Line, type Segment, seg } from './Line.js';
import type { NewTestField, NewTestFormState } from './new-test.js';
import { oneLine } from './format.js';

export const NEW_TEST_LINES = 3;

export interface NewTestFormProps {
  readonly form: NewTestFormState;
  readonly width: number;
  /** Open model: the rate is iterations per second and users the cap. */
  readonly openModel: boolean;
  /** The run the new one is compared with. */
  readonly baseline: string;
}

export function NewTestForm({ form, width, openModel, baseline }: NewTestFormProps) {
  const field = (name: NewTestField): Segment[] => {
    const focused = form.field === name;
    return [
      seg('[', { dim: !focused }),
      seg(` ${form[name]}${focused ? '▏' : ' '}`, { inverse: focused && form.fresh, bold: focused, color: focused ? 'cyan' : undefined }),
      seg(']', { dim: !focused }),
    ];
  };
  const label = (name: NewTestField, text: string): Segment => seg(text, { bold: form.field === name });
  const first: Segment[] = [
    seg('New test  ', { bold: true, color: 'green' }),
    label('users', openModel ? 'max users ' : 'users '),
    ...field('users'),
    label('rate', openModel ? '   rate ' : '   spawn rate '),
    ...field('rate'),
    seg(openModel ? ' /s' : ' users/s'),
  ];
  const second: Segment[] = [seg('          '), label('host', 'host '), ...field('host')];
  const third: Segment[] =
    form.error !== null
      ? [seg(form.error, { color: 'red', bold: true })]
      : form.starting
        ? [seg('starting…', { color: 'green' })]
        : // The keys first, so a narrow terminal cuts the baseline's name, never how to start or cancel.
          [seg('Enter starts · Tab next field · Esc cancels', { dim: true }), seg(` · baseline: ${oneLine(baseline)}`, { dim: true })];
  return (
    <Box flexDirection="column">
      <Line segments={first} width={width} />
      <Line segments={second} width={width} />
      <Line segments={third} width={width} />
    </Box>
  );
}
