/** The app's own state (what is shown, not what is measured) and its initial value. */
import type { ColumnSet } from './column-sets.js';
import type { NewTestFormState } from './new-test.js';
import type { SortKey } from './sorting.js';
import type { TabId } from './types.js';

export interface EditorState {
  readonly users: string;
  readonly rate: string;
  readonly field: 'users' | 'rate';
  /** The focused field's text is still the prefilled value: the first digit typed replaces it. */
  readonly fresh: boolean;
  readonly error: string | null;
}

export interface Flash {
  readonly text: string;
  readonly tone: 'info' | 'good' | 'warn' | 'error';
  /** Epoch ms when shown; it fades after `FLASH_MS`. */
  readonly at: number;
  /** Says something about a test still stopping (`stopping: …`): hidden once it has stopped. */
  readonly untilStopped?: boolean;
}

export const FLASH_MS = 4000;

export interface UiState {
  readonly tab: TabId;
  readonly help: boolean;
  readonly editor: EditorState | null;
  readonly sortKey: SortKey;
  readonly sortReverse: boolean;
  /** The Statistics tab's named column set (`c` / `C`). */
  readonly columnSet: ColumnSet;
  /** The selected endpoint (`METHOD name`) in Statistics and Percentiles; kept while rows move. */
  readonly selectedKey: string | null;
  readonly failureIndex: number;
  readonly exceptionIndex: number;
  /** The selected entry of the Logs tab; null follows the newest. */
  readonly logIndex: number | null;
  /** Users added or removed by `+` and `-`. */
  readonly step: number;
  readonly flash: Flash | null;
  /** The directory of the last exported snapshot. */
  readonly lastExport: string | null;
  /** The `n` form, while open. */
  readonly newTest: NewTestFormState | null;
}

export const MAX_STEP = 100_000;
export const MAX_USERS = 1_000_000;

export const INITIAL_UI: UiState = {
  tab: 'stats',
  help: false,
  editor: null,
  sortKey: 'name',
  sortReverse: false,
  columnSet: 'all',
  selectedKey: null,
  failureIndex: 0,
  exceptionIndex: 0,
  logIndex: null,
  step: 50,
  flash: null,
  lastExport: null,
  newTest: null,
};
