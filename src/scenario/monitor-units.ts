/**
 * A monitor's unit: the default a metric's name implies and how a threshold's value is read in it
 * (values are shown by `stats/format.ts` `fmtInUnit`). Bytes use powers of 1024 with the names
 * cicada prints everywhere (`MB` = 1024² bytes). Pure.
 */
import { parseDuration } from './duration.js';

/** Units with their own reading and display; any other text is a label shown after the number. */
export const KNOWN_UNITS = ['percent', 'bytes', 'bytes/s', 'seconds', 'ms', '/s'] as const;

/**
 * The unit (and scale) a Prometheus metric's name implies, following its naming conventions:
 * `*_cpu_seconds_total` → percent of one core (rate × 100), `*_bytes` → bytes, `*_bytes_total` →
 * bytes/s, `*_seconds` → seconds, `*_ratio` → percent (× 100), other `*_total` → /s.
 */
export function unitForMetric(name: string, rate: boolean): { unit: string; scale: number } {
  if (/_cpu_seconds_total$/.test(name) && rate) return { unit: 'percent', scale: 100 };
  if (/_bytes$/.test(name)) return { unit: 'bytes', scale: 1 };
  if (/_bytes_total$/.test(name)) return { unit: rate ? 'bytes/s' : 'bytes', scale: 1 };
  if (/_seconds$/.test(name)) return { unit: 'seconds', scale: 1 };
  if (/_ratio$/.test(name)) return { unit: 'percent', scale: 100 };
  if (rate) return { unit: '/s', scale: 1 };
  return { unit: '', scale: 1 };
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};
const NUMBER = String.raw`(-?\d+(?:\.\d+)?|-?\.\d+)`;

/** A threshold value (`70%`, `512MB`, `50ms`, `12`) in `unit`, or an error message. */
export function parseMonitorValue(text: string, unit: string): number | string {
  const t = text.trim();
  const bare = new RegExp(`^${NUMBER}$`).exec(t);
  switch (unit) {
    case 'percent': {
      const m = new RegExp(`^${NUMBER}\\s*%?$`).exec(t);
      return m !== null ? Number(m[1]) : `needs a percentage like 70%, got ${JSON.stringify(t)}`;
    }
    case 'bytes':
    case 'bytes/s': {
      const m = new RegExp(`^${NUMBER}\\s*([KMGT]i?B|B)?${unit === 'bytes/s' ? '(?:\\s*/\\s*s)?' : ''}$`, 'i').exec(t);
      if (m === null) return `needs a size like 512MB or 1.5GB${unit === 'bytes/s' ? ' (per second)' : ''}, got ${JSON.stringify(t)}`;
      return Number(m[1]) * (BYTE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1);
    }
    case 'seconds':
    case 'ms': {
      if (bare !== null) return Number(bare[1]);
      const ms = parseDuration(t);
      if (ms === null) return `needs a time like 50ms or 1.5s, got ${JSON.stringify(t)}`;
      return unit === 'seconds' ? ms / 1000 : ms;
    }
    case '/s': {
      const m = new RegExp(`^${NUMBER}\\s*(?:/\\s*s)?$`).exec(t);
      return m !== null ? Number(m[1]) : `needs a rate like 100 or 100/s, got ${JSON.stringify(t)}`;
    }
    default: {
      if (bare !== null) return Number(bare[1]);
      if (unit !== '' && t.endsWith(unit)) {
        const m = new RegExp(`^${NUMBER}$`).exec(t.slice(0, -unit.length).trim());
        if (m !== null) return Number(m[1]);
      }
      return `needs a number${unit === '' ? '' : ` (in ${unit})`}, got ${JSON.stringify(t)}`;
    }
  }
}
