/**
 * "Is it stable or degrading?": the run cut into thirds, each with its request count, throughput,
 * error rate and p50/p95, and a one-line verdict. Percentiles come from the interval histograms
 * (`StatsSnapshot.intervals`) merged per third — never from averages of per-second percentiles.
 * Without intervals (files from an older cicada) the thirds come from the history rows: counts
 * and error rates stay exact, percentiles are not given.
 *
 * The verdict compares the last third with the first:
 * - degrading: p95 up by more than 25% (and at least 2 ms; and clearly more of the last third
 *   slower than the first third's p95 than of the first third itself, z ≥ 3), or the error rate up by more than one
 *   percentage point (to at least 1.5× what it was, and clearly: a two-proportion z-test, z ≥ 3),
 *   or no request at all in the last third;
 * - improving: the same, downwards (often the ramp-up or a cold cache in the first third);
 * - unstable: neither, but the middle third's p95 or error rate peaked beyond those margins;
 * - stable otherwise; "not enough data" when a third has fewer than 10 requests, or when nothing
 *   changed but p95 could not be judged.
 * p95 takes part only when every third has at least 200 requests: the p95 of 100 requests is
 * decided by its 5 slowest, and a run of a few seconds would be called degrading by chance. (A
 * run's last third also holds the requests that finished while it stopped: slow ones, mostly.)
 */
import { IntervalMerger, summarizeIntervals } from '../stats/intervals.js';
import type { HistoryRow, IntervalStats, StatsSnapshot } from '../stats/types.js';
import { fmtMs, fmtPercent, fmtSignedPercent } from '../stats/format.js';
import { clearlyMoreCount } from '../stats/comparison.js';

export const STABILITY_RULES = {
  p95Change: 0.25,
  p95MinDeltaMs: 2,
  /** p95 by thirds is judged only with this many requests in each (10 of them above the p95). */
  minRequestsForP95: 200,
  errorRatePoints: 0.01,
  errorRateFactor: 1.5,
  /** How clear a change of error rate must be (two-proportion z-test; 3: about 1 in 700 by chance). */
  errorRateZ: 3,
  /** How clearly more of a third must be slower than the other third's p95 (two-proportion z-test). */
  p95ShiftZ: 3,
  minRequestsPerThird: 10,
} as const;

export interface RunThird {
  readonly label: string;
  /** Seconds from the start of the statistics. */
  readonly fromSec: number;
  readonly toSec: number;
  readonly requests: number;
  readonly failures: number;
  readonly errorRate: number;
  readonly rps: number;
  /** null when not known (no histogram, or no requests). */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  /** The most users running during it. */
  readonly users: number;
}

export type StabilityVerdict = 'stable' | 'degrading' | 'improving' | 'unstable' | 'not enough data';

export interface Stability {
  readonly thirds: readonly RunThird[];
  readonly verdict: StabilityVerdict;
  /** One line: `Degrading: p95 rose from 80 ms in the first third to 240 ms in the last (+200.0%).` */
  readonly text: string;
  /** Where the numbers came from. */
  readonly source: 'intervals' | 'history';
}

const LABELS = ['First third', 'Middle third', 'Last third'] as const;

/**
 * The thirds of the run and the verdict, or null when nothing was recorded. `history` (the full
 * history when available, else the snapshot's) is used only when the snapshot has no intervals.
 * `mergers` (one per third, kept between calls for the same run) only make it cheaper.
 */
export function stabilityByThirds(
  s: StatsSnapshot,
  history: readonly HistoryRow[] = s.history,
  mergers?: readonly IntervalMerger[],
): Stability | null {
  const intervals = s.intervals;
  if (intervals !== undefined && intervals.length > 0) {
    // Without mergers kept by the caller, local ones let the second pass (shares above) reuse the
    // decoded histograms.
    const local = mergers === undefined ? [new IntervalMerger(), new IntervalMerger(), new IntervalMerger()] : null;
    try {
      const { thirds, shareAbove } = thirdsFromIntervals(intervals, mergers ?? local!);
      return judge(thirds, 'intervals', shareAbove);
    } finally {
      for (const m of local ?? []) m.destroy();
    }
  }
  if (intervals === undefined) {
    const fromHistory = thirdsFromHistory(history, s.statsStartedAt);
    if (fromHistory !== null) return judge(fromHistory, 'history', () => null);
  }
  return null;
}

/** The share of third `k`'s requests slower than `ms`, or null when not known. */
type ShareAbove = (k: number, ms: number) => number | null;

function thirdsFromIntervals(list: readonly IntervalStats[], mergers: readonly IntervalMerger[]): { thirds: RunThird[]; shareAbove: ShareAbove } {
  const from = list[0]!.startSec;
  const to = Math.max(from + 1e-3, list.at(-1)!.endSec);
  const span = (to - from) / 3;
  const parts: IntervalStats[][] = [[], [], []];
  for (const i of list) {
    const mid = (i.startSec + Math.min(i.endSec, to)) / 2;
    parts[Math.min(2, Math.max(0, Math.floor((mid - from) / span)))]!.push(i);
  }
  const thirds = parts.map((part, k) => {
    const fromSec = part.length > 0 ? part[0]!.startSec - from : k * span;
    const toSec = part.length > 0 ? Math.min(part.at(-1)!.endSec, to) - from : (k + 1) * span;
    const sum = summarizeIntervals(part, [0.5, 0.95, 0.99], mergers[k]);
    const p = sum.requests > 0 ? sum.percentilesMs : null;
    return third(k, fromSec, toSec, sum.requests, sum.failures, sum.users, p?.[0] ?? null, p?.[1] ?? null, p?.[2] ?? null);
  });
  const shareAbove: ShareAbove = (k, ms) => {
    const sum = summarizeIntervals(parts[k]!, [], mergers[k], [ms]);
    return sum.histogramCount > 0 ? sum.sharesAbove[0]! : null;
  };
  return { thirds, shareAbove };
}

function thirdsFromHistory(history: readonly HistoryRow[], statsStartedAt: number): RunThird[] | null {
  const startSec = Math.floor(statsStartedAt / 1000);
  const rows = history.filter((r) => r.name === 'Aggregated' && r.timestamp > startSec);
  if (rows.length === 0) return null;
  const from = Math.min(rows[0]!.timestamp - 1, statsStartedAt / 1000);
  const to = rows.at(-1)!.timestamp;
  const span = (to - from) / 3;
  const acc = [0, 1, 2].map(() => ({ requests: 0, failures: 0, users: 0, first: Infinity, last: -Infinity }));
  let prevReq = 0;
  let prevFail = 0;
  for (const r of rows) {
    const dReq = r.totalRequests >= prevReq ? r.totalRequests - prevReq : r.totalRequests;
    const dFail = r.totalFailures >= prevFail ? r.totalFailures - prevFail : r.totalFailures;
    prevReq = r.totalRequests;
    prevFail = r.totalFailures;
    const k = Math.min(2, Math.max(0, Math.floor((r.timestamp - 0.5 - from) / span)));
    const a = acc[k]!;
    a.requests += dReq;
    a.failures += dFail;
    a.users = Math.max(a.users, r.userCount);
    a.first = Math.min(a.first, r.timestamp - 1);
    a.last = Math.max(a.last, r.timestamp);
  }
  return acc.map((a, k) => {
    const fromSec = Number.isFinite(a.first) ? Math.max(0, a.first - from) : k * span;
    const toSec = Number.isFinite(a.last) ? a.last - from : (k + 1) * span;
    return third(k, fromSec, toSec, a.requests, a.failures, a.users, null, null, null);
  });
}

function third(
  k: number,
  fromSec: number,
  toSec: number,
  requests: number,
  failures: number,
  users: number,
  p50Ms: number | null,
  p95Ms: number | null,
  p99Ms: number | null,
): RunThird {
  return {
    label: LABELS[k]!,
    fromSec,
    toSec,
    requests,
    failures,
    errorRate: requests > 0 ? failures / requests : 0,
    rps: toSec > fromSec ? requests / (toSec - fromSec) : 0,
    p50Ms,
    p95Ms,
    p99Ms,
    users,
  };
}

function judge(thirds: RunThird[], source: Stability['source'], shareAbove: ShareAbove): Stability {
  const [a, b, c] = thirds as [RunThird, RunThird, RunThird];
  const R = STABILITY_RULES;
  const make = (verdict: StabilityVerdict, text: string): Stability => ({ thirds, verdict, text, source });
  if (a.requests > 0 && c.requests === 0) {
    return make('degrading', 'Degrading: no request completed in the last third of the run.');
  }
  const fewest = Math.min(...thirds.map((t) => t.requests));
  if (fewest < R.minRequestsPerThird) {
    return make('not enough data', `Not enough data to judge: a third of the run had fewer than ${R.minRequestsPerThird} requests.`);
  }
  const latencyJudged = fewest >= R.minRequestsForP95 && thirds.every((t) => t.p95Ms !== null);
  const tooFew =
    !latencyJudged && thirds.every((t) => t.p95Ms !== null)
      ? ` Too few requests to judge p95 by thirds (${fewest} in the smallest; it takes ${R.minRequestsForP95}).`
      : '';
  const worse: string[] = [];
  const better: string[] = [];
  // A p95 that moved is a trend only if clearly more (or fewer) requests than 5% are now slower
  // than the other third's p95: with a two-humped distribution, p95 can jump from one hump to the
  // other on a few requests.
  const slowerThan = (k: number, base: RunThird, ms: number): boolean =>
    clearlyMore(shareAbove(thirds.indexOf(base), ms), base.requests, shareAbove(k, ms), thirds[k]!.requests);
  /** Set when p95 moved between the first and last third, but not the share of slow requests. */
  let unclear: string | null = null;
  if (latencyJudged) {
    const [from, to] = [a.p95Ms!, c.p95Ms!];
    if (rose(from, to) && slowerThan(2, a, from)) {
      worse.push(`p95 rose from ${fmtMs(from)} in the first third to ${fmtMs(to)} in the last (${fmtSignedPercent(to / from - 1)})`);
    } else if (rose(to, from) && slowerThan(0, c, to)) {
      better.push(`p95 fell from ${fmtMs(from)} in the first third to ${fmtMs(to)} in the last (${fmtSignedPercent(to / from - 1)})`);
    } else if (rose(from, to) || rose(to, from)) {
      const t = Math.min(from, to);
      const [sa, sc] = [shareAbove(0, t), shareAbove(2, t)];
      unclear =
        `p95 went from ${fmtMs(from)} to ${fmtMs(to)}, but the share of requests slower than ${fmtMs(t)} did not clearly change` +
        (sa !== null && sc !== null ? ` (${fmtPercent(sa)} in the first third, ${fmtPercent(sc)} in the last)` : '') +
        ': a few slow requests more or less move p95 across a gap in the distribution';
    }
  }
  if (errorsRose(a, c)) worse.push(`the error rate rose from ${fmtPercent(a.errorRate)} to ${fmtPercent(c.errorRate)}`);
  else if (errorsRose(c, a)) better.push(`the error rate fell from ${fmtPercent(a.errorRate)} to ${fmtPercent(c.errorRate)}`);
  const rampNote = a.users > 0 && c.users > 0 && a.users < c.users ? ` The first third includes the ramp-up (${a.users} users at most, ${c.users} in the last third).` : '';
  if (worse.length > 0) return make('degrading', `Degrading: ${worse.join('; ')}.${tooFew}`);
  if (better.length > 0) return make('improving', `Improving: ${better.join('; ')}.${rampNote}${tooFew}`);
  const peaks: string[] = [];
  const end = latencyJudged && a.p95Ms! >= c.p95Ms! ? a : c;
  if (latencyJudged && rose(end.p95Ms!, b.p95Ms!) && slowerThan(1, end, end.p95Ms!)) {
    peaks.push(`p95 peaked at ${fmtMs(b.p95Ms!)} in the middle third (${fmtMs(a.p95Ms!)} first, ${fmtMs(c.p95Ms!)} last)`);
  }
  const worstEnd = a.errorRate >= c.errorRate ? a : c;
  if (errorsRose(worstEnd, b)) {
    peaks.push(`the error rate peaked at ${fmtPercent(b.errorRate)} in the middle third (${fmtPercent(a.errorRate)} first, ${fmtPercent(c.errorRate)} last)`);
  }
  if (peaks.length > 0) return make('unstable', `Unstable: ${peaks.join('; ')}.${tooFew}`);
  const errs = thirds.map((t) => t.errorRate);
  const [lowest, highest] = [Math.min(...errs), Math.max(...errs)];
  const errors =
    highest === 0 ? 'no request failed' : lowest === highest ? `the error rate ${fmtPercent(lowest)} throughout` : `the error rate between ${fmtPercent(lowest)} and ${fmtPercent(highest)}`;
  if (!latencyJudged) {
    // Calling a run stable takes enough requests to see its p95 move.
    return make(
      'not enough data',
      `Not enough data to call it stable: ${fewest} requests in the smallest third (judging p95 by thirds takes ${R.minRequestsForP95}); ${errors}, no clear change.`,
    );
  }
  const latency = unclear ?? `no clear change in p95 (${thirds.map((t) => fmtMs(t.p95Ms!)).join(', ')} by third)`;
  return make('stable', `Stable: ${latency}; ${errors}.`);
}

/**
 * The share `p2` (of `n2` requests) is clearly above `p1` (of `n1`): the two-proportion z-test
 * `compare` uses too (stats/comparison.ts). Used
 * with the shares of two thirds slower than one third's p95 (about 5% for that third itself).
 */
function clearlyMore(p1: number | null, n1: number, p2: number | null, n2: number): boolean {
  if (p1 === null || p2 === null) return false;
  return clearlyMoreCount(p1 * n1, n1, p2 * n2, n2, STABILITY_RULES.p95ShiftZ);
}

/** `to` is more than 25% and at least 2 ms above `from`. */
function rose(from: number, to: number): boolean {
  return to - from >= STABILITY_RULES.p95MinDeltaMs && to > from * (1 + STABILITY_RULES.p95Change);
}

/**
 * `to`'s error rate is above `from`'s by more than a point, at least 1.5 times it, and clearly so
 * for the number of requests: a two-proportion z-test with z ≥ 3 (2 failures in 100 requests
 * after none in 90 is not a trend).
 */
function errorsRose(from: RunThird, to: RunThird): boolean {
  const R = STABILITY_RULES;
  const d = to.errorRate - from.errorRate;
  if (!(d > R.errorRatePoints && to.errorRate >= from.errorRate * R.errorRateFactor)) return false;
  return clearlyMoreCount(from.failures, from.requests, to.failures, to.requests, R.errorRateZ);
}
