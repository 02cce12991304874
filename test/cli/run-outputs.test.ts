/**
 * The `--csv`/`--json FILE`/`--html FILE` names of each run in one cicada (the TUI's `n`): the first
 * run keeps the names given; run N writes beside them with `-N` before the extension.
 */
import { describe, expect, it } from 'vitest';
import { numbered, outputsText, runOutputs } from '../../src/cli/run-extras.js';

const scenario = { users: 20, spawnRate: 5, runTimeMs: 60_000 };

describe('run outputs', () => {
  it('the first run writes the names given, {u} {r} {t} filled from its scenario', () => {
    const o = runOutputs({ csv: 'out/x', json: 'sum.json', html: 'report_{u}_{r}_{t}.html' }, scenario, 1);
    expect(o).toEqual({ csvPrefix: 'out/x', jsonFile: 'sum.json', htmlFile: 'report_20_5_60.html' });
    expect(outputsText(o)).toBe('report_20_5_60.html, out/x_*.csv, sum.json');
  });

  it('a later run writes its own beside them: -N before the extension, after the --csv prefix', () => {
    const o = runOutputs({ csv: 'out/x', json: 'out/sum.json', html: 'report_{u}.html' }, { ...scenario, users: 30 }, 3);
    expect(o).toEqual({ csvPrefix: 'out/x-3', jsonFile: 'out/sum-3.json', htmlFile: 'report_30-3.html' });
  });

  it('--json - names no file (it is printed); flags not given name nothing', () => {
    expect(runOutputs({ json: '-' }, scenario, 2)).toEqual({ csvPrefix: null, jsonFile: null, htmlFile: null });
    expect(outputsText(runOutputs({}, scenario, 2))).toBe('');
  });

  it('numbered: only the file name’s extension counts', () => {
    expect(numbered('report.html', 1)).toBe('report.html');
    expect(numbered('report.html', 2)).toBe('report-2.html');
    expect(numbered('summary', 2)).toBe('summary-2');
    expect(numbered('runs.v1/summary', 2)).toBe('runs.v1/summary-2');
    expect(numbered('.summary', 2)).toBe('.summary-2');
    expect(numbered('a/report.tar.html', 4)).toBe('a/report.tar-4.html');
  });
});
