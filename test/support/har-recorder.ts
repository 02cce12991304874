/**
 * Records what a real headless Chromium sends and receives, as a HAR 1.2 document — the way
 * DevTools' "Save all as HAR" builds one: from the DevTools protocol's Network events (the headers
 * actually sent, cookies included, from the *ExtraInfo events; bodies from Network.getResponseBody).
 */
import type { Page } from '../e2e/browser.js';

type Params = Record<string, any>;

interface Pending {
  request?: Params;
  sentHeaders?: Record<string, string>;
  response?: Params;
  receivedHeaders?: Record<string, string>;
  wallTime?: number;
  type?: string;
  finished?: boolean;
  body?: { text: string; encoding?: string };
}

export interface Har {
  readonly log: { readonly version: string; readonly creator: { name: string; version: string }; readonly browser: { name: string; version: string }; readonly entries: readonly unknown[] };
}

/** Starts recording the page's network traffic; `stop()` waits for every request to finish and returns the HAR. */
export async function recordHar(page: Page): Promise<{ stop(): Promise<Har> }> {
  const byId = new Map<string, Pending>();
  const order: string[] = [];
  const get = (id: string): Pending => {
    let p = byId.get(id);
    if (p === undefined) {
      byId.set(id, (p = {}));
      order.push(id);
    }
    return p;
  };
  page.on('Network.requestWillBeSent', (e) => {
    const p = get(e.requestId as string);
    p.request = e.request as Params;
    p.wallTime = e.wallTime as number;
    p.type = e.type as string;
  });
  page.on('Network.requestWillBeSentExtraInfo', (e) => void (get(e.requestId as string).sentHeaders = e.headers as Record<string, string>));
  page.on('Network.responseReceived', (e) => void (get(e.requestId as string).response = e.response as Params));
  page.on('Network.responseReceivedExtraInfo', (e) => void (get(e.requestId as string).receivedHeaders = e.headers as Record<string, string>));
  const bodies: Promise<void>[] = [];
  page.on('Network.loadingFinished', (e) => {
    const id = e.requestId as string;
    const p = get(id);
    p.finished = true;
    bodies.push(
      page.send<{ body: string; base64Encoded: boolean }>('Network.getResponseBody', { requestId: id }).then(
        (b) => void (p.body = b.base64Encoded ? { text: b.body, encoding: 'base64' } : { text: b.body }),
        () => undefined,
      ),
    );
  });
  page.on('Network.loadingFailed', (e) => void (get(e.requestId as string).finished = true));
  await page.send('Network.enable', { maxPostDataSize: 1 << 20 });
  const { product } = await page.send<{ product: string }>('Browser.getVersion');
  return {
    async stop() {
      for (let i = 0; i < 200 && [...byId.values()].some((p) => p.request !== undefined && p.finished !== true); i++) await new Promise((r) => setTimeout(r, 25));
      await Promise.all(bodies);
      const headerList = (h: Record<string, string> | undefined) =>
        Object.entries(h ?? {}).flatMap(([name, value]) => String(value).split('\n').map((v) => ({ name, value: v })));
      const entries = order
        .map((id) => byId.get(id)!)
        .filter((p) => p.request !== undefined && p.response !== undefined)
        .map((p) => {
          const req = p.request!;
          const res = p.response!;
          const reqHeaders = headerList(p.sentHeaders ?? (req.headers as Record<string, string>));
          const contentType = reqHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
          const url = new URL(req.url as string);
          return {
            startedDateTime: new Date((p.wallTime ?? 0) * 1000).toISOString(),
            time: 0,
            request: {
              method: req.method,
              url: req.url,
              httpVersion: String(res.protocol ?? 'http/1.1').toUpperCase(),
              headers: reqHeaders,
              queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
              cookies: [],
              headersSize: -1,
              bodySize: typeof req.postData === 'string' ? Buffer.byteLength(req.postData) : 0,
              ...(typeof req.postData === 'string' ? { postData: { mimeType: contentType, text: req.postData } } : {}),
            },
            response: {
              status: res.status,
              statusText: res.statusText ?? '',
              httpVersion: String(res.protocol ?? 'http/1.1').toUpperCase(),
              headers: headerList(p.receivedHeaders ?? (res.headers as Record<string, string>)),
              cookies: [],
              content: { size: p.body?.text.length ?? 0, mimeType: res.mimeType ?? '', ...(p.body !== undefined ? p.body : {}) },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
            },
            cache: {},
            timings: { send: 0, wait: 0, receive: 0 },
            _resourceType: (p.type ?? 'other').toLowerCase(),
          };
        });
      return { log: { version: '1.2', creator: { name: 'cicada test CDP recorder', version: '1' }, browser: { name: 'Chromium', version: product }, entries } };
    },
  };
}
