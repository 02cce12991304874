/**
 * The largest values a run accepts. Beyond them a number has no sane meaning on any machine cicada
 * runs on, and obeying it would crash or wedge the process instead of testing the target: refused
 * at load with the limit in the message (exit 2).
 *
 * - users (and `maxUsers`, a stage's users): 1,000,000 in one run, split over its processes and
 *   workers; one process holds ≈ 10,000 users in 330 MB.
 * - spawn rate: 100,000 users a second (spawning also yields to the event loop every 20 ms, so
 *   signals are served while it runs).
 * - arrival rate (`rate`, `--rate`, `rateStages`): 1,000,000 iterations a second.
 * - `--processes`: 64 engine threads, and never more than the users (extra threads would idle).
 */
export const MAX_USERS = 1_000_000;
export const MAX_SPAWN_RATE = 100_000;
export const MAX_RATE = 1_000_000;
export const MAX_PROCESSES = 64;

/** `must be at most 1000000 (...), got ...` — the message for a value over its limit. */
export function overLimit(what: string, max: number): string {
  return `must be at most ${max} ${what} (cicada's limit; see "When things go wrong" in the README)`;
}
