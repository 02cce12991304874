/**
 * `cicada import har FILE | openapi FILE | curl 'COMMAND'...`: a runnable scenario from a browser
 * recording, an API description or copied curl lines, written to stdout or `-o FILE`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import meow from 'meow';
import { normalizeHost } from '../../scenario/urls.js';
import { consoleOutput, EXIT, type Output } from '../output.js';
import { version } from '../version.js';
import { curlRequest } from './curl.js';
import { harRequests } from './har.js';
import { openapiRequests } from './openapi.js';
import { type ImportedRequest, writeScenario } from './scenario-writer.js';

export const help = `
  Usage
    $ cicada import har FILE [options]          a browser recording (DevTools: Save all as HAR)
    $ cicada import openapi FILE [options]      an OpenAPI 3 document (JSON or YAML)
    $ cicada import curl 'curl ...' ... [options]   curl commands (DevTools: Copy as cURL); - reads them from stdin

  Writes a runnable scenario: requests with ids in the path grouped into one row (/api/items/[id]),
  credentials turned into \${ENV} variables (listed at the top of the file), values a request reuses
  from an earlier response captured (HAR), browser-only headers dropped.

  Options
    -o, --output FILE   Write the scenario to FILE (default: stdout); never overwrites without --force
        --host URL      The target (default: the most common origin, or the document's server)
        --name NAME     The scenario's name (default: from the input file)
        --force         Overwrite --output

  Examples
    $ cicada import har session.har -o scenarios/recorded.yaml
    $ cicada import openapi openapi.yaml --host http://127.0.0.1:8089 -o api.yaml
    $ cicada import curl "curl 'http://127.0.0.1:8089/api/items' -H 'authorization: Bearer abc'"
`;

const KINDS = ['har', 'openapi', 'curl'] as const;

export async function importCommand(argv: readonly string[], out: Output = consoleOutput, stdin: () => string = () => readFileSync(0, 'utf8')): Promise<number> {
  const cli = meow(help, {
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: {
      output: { type: 'string', shortFlag: 'o' },
      host: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const [kind, ...inputs] = cli.input;
  if (kind === undefined || !(KINDS as readonly string[]).includes(kind)) {
    out.error(kind === undefined ? 'import what? cicada import har FILE | openapi FILE | curl COMMAND' : `cannot import "${kind}": use har, openapi or curl`);
    return EXIT.badInput;
  }
  if (inputs.length === 0) {
    out.error(`cicada import ${kind} needs ${kind === 'curl' ? "a curl command (quoted), or - to read them from stdin" : 'a file'}`);
    return EXIT.badInput;
  }
  if (kind !== 'curl' && inputs.length > 1) {
    out.error(`unexpected argument "${inputs[1]}": import ${kind} takes one file`);
    return EXIT.badInput;
  }
  let host: string | undefined;
  if (cli.flags.host !== undefined) {
    const h = normalizeHost(cli.flags.host);
    if ('error' in h) {
      out.error(`--host: ${h.error}`);
      return EXIT.badInput;
    }
    host = h.host;
  }
  const output = cli.flags.output;
  if (output !== undefined && existsSync(output) && !cli.flags.force) {
    out.error(`${output}: already exists; import leaves it alone (--force overwrites)`);
    return EXIT.badInput;
  }

  let requests: ImportedRequest[] | string;
  let source: string;
  let name: string;
  if (kind === 'curl') {
    const commands = inputs.flatMap((i) => (i === '-' ? splitCommands(stdin()) : [i]));
    requests = [];
    for (const [n, c] of commands.entries()) {
      const r = curlRequest(c);
      if (typeof r === 'string') {
        out.error(`curl command ${n + 1}: ${r}`);
        return EXIT.badInput;
      }
      requests.push(r);
    }
    source = commands.length === 1 ? 'a curl command' : `${commands.length} curl commands`;
    name = cli.flags.name ?? 'imported';
  } else {
    const file = inputs[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      out.error(`${file}: cannot read it: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`);
      return EXIT.badInput;
    }
    requests = kind === 'har' ? harRequests(text) : openapiRequests(text, host);
    if (typeof requests === 'string') {
      out.error(`${file}: ${requests}`);
      return EXIT.badInput;
    }
    source = `${kind === 'har' ? 'the HAR recording' : 'the OpenAPI document'} ${basename(file)}`;
    name = cli.flags.name ?? (basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]+/g, '-') || 'imported');
  }
  if (requests.length === 0) {
    out.error(`${inputs[0]}: no HTTP requests to import (static files and non-HTTP entries are left out)`);
    return EXIT.badInput;
  }
  const yaml = writeScenario(requests, { name, source, shape: kind === 'har' ? 'flow' : 'tasks', ...(host !== undefined ? { host } : {}) });
  if (output === undefined) {
    process.stdout.write(yaml);
  } else {
    try {
      writeFileSync(output, yaml);
    } catch (err) {
      out.error(`cannot write ${output}: ${(err as Error).message}`);
      return EXIT.badInput;
    }
    out.info(`wrote ${output}: ${requests.length} request${requests.length === 1 ? '' : 's'}; next: cicada run ${output}`);
  }
  return EXIT.ok;
}

/** Several curl commands pasted together (DevTools "Copy all as cURL"): split where a line starts a new `curl`. */
export function splitCommands(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n(?=\s*curl\s)|;\s*\r?\n?(?=\s*curl\s)/)
    .map((c) => c.trim().replace(/;$/, ''))
    .filter((c) => c.startsWith('curl'));
}
