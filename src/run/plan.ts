/** A run's plan hash: workers must run the plan the coordinator runs. */
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/types.js';

/** SHA-256 (hex, first 16 characters) of the scenario as JSON. */
export function planHash(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify(scenario)).digest('hex').slice(0, 16);
}
