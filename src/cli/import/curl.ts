/**
 * curl command lines → imported requests, as browsers' "Copy as cURL" (bash) and people write
 * them: quoting ('…', "…", $'…'), line continuations, -X, -H, -d/--data/--data-raw/--data-binary/
 * --data-urlencode/--json, -F is refused, -b (cookies), -u (basic credentials), -G, -I, -A, -e;
 * transport flags that change nothing in a scenario (--compressed, -L, -s, -k, …) are accepted.
 */
import type { ImportedBody, ImportedRequest } from './scenario-writer.js';

/** Splits a shell command line into words (bash quoting, no expansion). */
export function shellWords(line: string): string[] | string {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const s = line.replace(/\\\r?\n/g, ' ');
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      i++;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return 'unclosed single quote';
      word = (word ?? '') + s.slice(i + 1, end);
      i = end + 1;
    } else if (c === '$' && s[i + 1] === "'") {
      // ANSI-C quoting, which Chrome uses for bodies with special characters.
      let out = '';
      i += 2;
      for (;;) {
        if (i >= s.length) return "unclosed $'…' quote";
        const d = s[i]!;
        if (d === "'") break;
        if (d === '\\') {
          const n = s[i + 1] ?? '';
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };
          if (n === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2))![0];
            out += String.fromCharCode(parseInt(hex, 16));
            i += 2 + hex.length;
            continue;
          }
          if (n === 'u' || n === 'U') {
            const hex = /^[0-9a-fA-F]{1,8}/.exec(s.slice(i + 2))?.[0] ?? '';
            out += String.fromCodePoint(parseInt(hex || '0', 16));
            i += 2 + hex.length;
            continue;
          }
          out += simple[n] ?? `\\${n}`;
          i += 2;
          continue;
        }
        out += d;
        i++;
      }
      word = (word ?? '') + out;
      i++;
    } else if (c === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= s.length) return 'unclosed double quote';
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && '"\\$`'.includes(s[i + 1] ?? '')) {
          out += s[i + 1];
          i += 2;
          continue;
        }
        out += d;
        i++;
      }
      word = (word ?? '') + out;
      i++;
    } else if (c === '\\') {
      word = (word ?? '') + (s[i + 1] ?? '');
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

const IGNORED = new Set([
  '--compressed', '-L', '--location', '-s', '--silent', '-S', '--show-error', '-k', '--insecure', '-v', '--verbose', '-i', '--include',
  '-f', '--fail', '--http1.1', '--http2', '-g', '--globoff', '-N', '--no-buffer', '--fail-with-body',
]);
const IGNORED_WITH_VALUE = new Set(['-o', '--output', '-m', '--max-time', '--connect-timeout', '--retry', '-w', '--write-out', '--proxy', '-x', '--resolve']);

/** One curl command → a request, or an error message. */
export function curlRequest(line: string): ImportedRequest | string {
  const words = shellWords(line.trim());
  if (typeof words === 'string') return words;
  if (words[0] !== 'curl') return `a curl command starts with \`curl\`, got ${JSON.stringify(words[0] ?? '')}`;
  let method: string | null = null;
  let url: string | null = null;
  const headers: [string, string][] = [];
  const data: string[] = [];
  let json = false;
  let get = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const flag = eq > 0 ? w.slice(0, eq) : w;
    const value = (): string | null => (eq > 0 ? w.slice(eq + 1) : (words[++i] ?? null));
    const need = (v: string | null): string => {
      if (v === null) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      if (!w.startsWith('-') || w === '-') {
        if (url !== null) return `more than one URL (${url} and ${w}); import one request per curl command`;
        url = w;
      } else if (flag === '-X' || flag === '--request') method = need(value()).toUpperCase();
      else if (flag === '-H' || flag === '--header') {
        const h = need(value());
        const colon = h.indexOf(':');
        if (colon > 0 && h.slice(colon + 1).trim() !== '') headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
      } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii'].includes(flag)) data.push(need(value()));
      else if (flag === '--data-urlencode') {
        const v = need(value());
        const eqAt = v.indexOf('=');
        data.push(eqAt < 0 ? encodeURIComponent(v) : `${v.slice(0, eqAt)}=${encodeURIComponent(v.slice(eqAt + 1))}`);
      } else if (flag === '--json') {
        data.push(need(value()));
        json = true;
      } else if (flag === '-b' || flag === '--cookie') headers.push(['cookie', need(value())]);
      else if (flag === '-u' || flag === '--user') headers.push(['authorization', `Basic ${Buffer.from(need(value())).toString('base64')}`]);
      else if (flag === '-A' || flag === '--user-agent') headers.push(['user-agent', need(value())]);
      else if (flag === '-e' || flag === '--referer') headers.push(['referer', need(value())]);
      else if (flag === '--url') url = need(value());
      else if (flag === '-G' || flag === '--get') get = true;
      else if (flag === '-I' || flag === '--head') method = 'HEAD';
      else if (flag === '-F' || flag === '--form') return '-F (multipart form upload) is not supported: a scenario sends json:, form: or body: text';
      else if (IGNORED_WITH_VALUE.has(flag)) value();
      else if (!IGNORED.has(flag)) return `unknown curl option ${flag}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (url === null) return 'no URL in the curl command';
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
  } catch {
    return `not a URL: ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `only http:// and https:// URLs can be imported, got ${parsed.protocol}`;
  parsed.hash = '';
  let body: ImportedBody | null = null;
  if (data.length > 0 && get) {
    for (const pair of new URLSearchParams(data.join('&'))) parsed.searchParams.append(pair[0], pair[1]);
  } else if (data.length > 0) {
    const text = data.join('&');
    const type = headers.find(([h]) => h.toLowerCase() === 'content-type')?.[1].toLowerCase() ?? (json ? 'application/json' : 'application/x-www-form-urlencoded');
    if (json && !headers.some(([h]) => h.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/json']);
    body = parseBody(text, type);
  }
  return { method: method ?? (body !== null ? 'POST' : 'GET'), url: parsed, headers, body };
}

function parseBody(text: string, type: string): ImportedBody {
  if (type.includes('json')) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'text', text };
    }
  }
  if (type.includes('x-www-form-urlencoded')) return { kind: 'form', fields: [...new URLSearchParams(text)] };
  return { kind: 'text', text };
}
