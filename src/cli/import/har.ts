/**
 * A HAR file (HTTP Archive 1.2, as browsers' DevTools "Save all as HAR" write it) → imported
 * requests: the page's API calls in the order they were sent, with their bodies and, where the
 * archive kept it, the JSON each response returned (for captures). Static assets (images, fonts,
 * style sheets, scripts), non-HTTP entries and browser-internal URLs are left out.
 */
import type { ImportedBody, ImportedRequest } from './scenario-writer.js';

interface HarHeader {
  readonly name: string;
  readonly value: string;
}
interface HarEntry {
  readonly startedDateTime?: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers?: readonly HarHeader[];
    readonly postData?: { readonly mimeType?: string; readonly text?: string; readonly params?: readonly { name: string; value?: string }[] };
  };
  readonly response?: {
    readonly status?: number;
    readonly headers?: readonly HarHeader[];
    readonly content?: { readonly mimeType?: string; readonly text?: string; readonly encoding?: string };
  };
  readonly _resourceType?: string;
}

const STATIC = /\.(?:png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|css|js|mjs|map)$/i;
const STATIC_TYPES = /^(?:image|font|stylesheet|script|media|manifest|other)$/;

/** The entries of a HAR document as requests, or an error message saying what is wrong with it. */
export function harRequests(text: string): ImportedRequest[] | string {
  let doc: { log?: { entries?: unknown } };
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '')) as typeof doc;
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  const entries = doc.log?.entries;
  if (!Array.isArray(entries)) return 'not a HAR file: no log.entries list';
  const out: ImportedRequest[] = [];
  const sorted = [...(entries as HarEntry[])].sort((a, b) => Date.parse(a.startedDateTime ?? '') - Date.parse(b.startedDateTime ?? '') || 0);
  for (const e of sorted) {
    let url: URL;
    try {
      url = new URL(e.request.url);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (STATIC.test(url.pathname) || (e._resourceType !== undefined && STATIC_TYPES.test(e._resourceType))) continue;
    const mime = e.response?.content?.mimeType ?? '';
    if (/^(?:image|font)\/|css|javascript/.test(mime)) continue;
    url.hash = '';
    out.push({
      method: e.request.method,
      url,
      headers: (e.request.headers ?? []).map((h) => [h.name, h.value] as const),
      body: harBody(e),
      response: {
        status: e.response?.status ?? 0,
        json: responseJson(e),
        setsCookie: (e.response?.headers ?? []).some((h) => h.name.toLowerCase() === 'set-cookie'),
      },
    });
  }
  return out;
}

function harBody(e: HarEntry): ImportedBody | null {
  const p = e.request.postData;
  if (p === undefined) return null;
  const mime = (p.mimeType ?? '').toLowerCase();
  if (p.text === undefined && p.params !== undefined) return { kind: 'form', fields: p.params.map((x) => [x.name, x.value ?? ''] as const) };
  const text = p.text ?? '';
  if (mime.includes('json')) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'text', text };
    }
  }
  if (mime.includes('x-www-form-urlencoded')) return { kind: 'form', fields: [...new URLSearchParams(text)] };
  return text === '' ? null : { kind: 'text', text };
}

function responseJson(e: HarEntry): unknown {
  const c = e.response?.content;
  if (c?.text === undefined || !/json/i.test(c.mimeType ?? '')) return undefined;
  try {
    return JSON.parse(c.encoding === 'base64' ? Buffer.from(c.text, 'base64').toString('utf8') : c.text) as unknown;
  } catch {
    return undefined;
  }
}
