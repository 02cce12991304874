/**
 * The scenario module: YAML scenario files in, a validated `Scenario` out. Everything else in
 * cicada imports from here (or from `types.ts`) and never sees YAML.
 */
export { loadScenarioFile, parseScenario, scenarioFromUrl } from './load.js';
export type { LoadOptions, ScenarioOverrides } from './load.js';
export { formatProblem, ScenarioError } from './errors.js';
export type { Problem } from './errors.js';
export { formatDuration, parseDuration } from './duration.js';
export { evalJsonPath, parseJsonPath } from './jsonpath.js';
export { parseThreshold } from './threshold.js';
export { formatRate, parseRate } from './rate.js';
export type * from './types.js';
