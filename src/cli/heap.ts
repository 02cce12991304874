/**
 * One V8 setting for the whole process (its worker threads included), made before any load: the
 * young generation grows to its full size (16 MB per semi-space on 64-bit) at its first growth,
 * instead of doubling from 1 MB.
 *
 * Why: a load generator allocates fast for as long as it runs, so the young generation ends up at
 * full size anyway; but V8 also shrinks it after an occasional memory-reducing GC (seen every
 * ≈ 110 s here) and then doubles it back step by step, so RSS saws by ≈ 25 MB and drifts with it.
 * Measured with `npm run bench:soak` (10 minutes at ≈ 30,000 req/s): RSS grew 19% from minute 2 to
 * minute 10 with the default, and the saw is gone with this setting (test/bench/README.md, "The soak").
 * The flag is read by V8 each time the young generation grows, so setting it at start-up is as
 * good as passing it on the command line (which `npx cicada` could not do portably).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=16');
