/** Locust's "final ratio" in both reports: users per class at the stop, tasks by weight, iterations run. */
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { runStatus } from '../stats/helpers.js';
import { meta } from './run-fixture.js';
import { snapshot } from './fixtures.js';

const classes = [
  { name: 'AuthenticatedUser', users: 0, targetUsers: 35, usersAtStop: 35, weightShare: 0.7, taskRuns: [900, 180], taskNames: ['/api/items/[id]', 'checkout'], taskWeights: [5, 1] },
  { name: 'HealthCheckUser', users: 0, targetUsers: 1, usersAtStop: 1, weightShare: 0.01, taskRuns: [30], taskNames: ['/health'], taskWeights: [1] },
];
const run = snapshot({ run: runStatus({ state: 'stopped', classes }) });

describe('the final ratio in report.md and report.html', () => {
  it('lists each class with its users and share, then its tasks with their share of the class and of all', () => {
    const md = reportMarkdown(run, meta());
    const at = md.indexOf('## User classes: final ratio');
    expect(at).toBeGreaterThan(0);
    const table = md.slice(at).split('\n').filter((l) => l.startsWith('| '));
    expect(table.slice(0, 5)).toEqual([
      '| Class / task | Users | Ratio | Total ratio | Iterations |',
      '| **AuthenticatedUser** | 35 | 97.2% | 97.2% |   |',
      '| ↳ `/api/items/[id]` |   | 83.3% | 81% | 900 |',
      '| ↳ `checkout` |   | 16.7% | 16.2% | 180 |',
      '| **HealthCheckUser** | 1 | 2.8% | 2.8% |   |',
    ]);
    const html = reportHtml(run, meta());
    expect(html).toContain('<h2>User classes: final ratio</h2>');
    expect(html).toMatch(/HealthCheckUser[\s\S]*2\.8%/);
  });

  it('has no such section without classes', () => {
    expect(reportMarkdown(snapshot(), meta())).not.toContain('final ratio');
  });
});
