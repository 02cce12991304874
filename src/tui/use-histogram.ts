/**
 * The Percentiles tab's histogram data: the bins of one row (the selected endpoint or Aggregated),
 * read from the session once per store poll and only while the tab shows it.
 */
import { useMemo } from 'react';
import { logBins, type LatencyBin } from '../stats/latency-bins.js';
import type { EndpointStats } from '../stats/types.js';
import { histogramBins, histogramHeight } from './Histogram.js';
import type { LiveState } from './live.js';
import type { TuiSession } from './types.js';

export function usePercentilesHistogram(
  session: TuiSession,
  live: LiveState,
  row: EndpointStats | null,
  bodyHeight: number,
): { readonly row: EndpointStats; readonly bins: readonly LatencyBin[] | null } | undefined {
  const maxBins = histogramBins(histogramHeight(bodyHeight));
  const method = row?.method;
  const name = row?.name;
  // `live` changes once per poll: the bins are read again then, not on every key press.
  const bins = useMemo(() => {
    if (method === undefined || name === undefined || session.latencyBuckets === undefined) return null;
    const buckets = session.latencyBuckets(method, name);
    return buckets === null ? null : logBins(buckets, maxBins);
  }, [session, live, method, name, maxBins]);
  return row === null ? undefined : { row, bins };
}
