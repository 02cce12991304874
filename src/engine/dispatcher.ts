/**
 * What a virtual user sends its requests through, for one origin: a plain undici `Client` (one
 * keep-alive connection) unless the scenario asks for more — TLS settings (`tls:`, `--insecure`),
 * HTTP/2 (`http2: true`, undici's `allowH2`: offered in TLS by ALPN, the server chooses), or a
 * proxy (`proxy:` or HTTP_PROXY / HTTPS_PROXY / NO_PROXY through undici's `EnvHttpProxyAgent`).
 *
 * Without any of them the factory is exactly `new Client(origin, options)`, so plain HTTP costs
 * nothing extra. Everything here runs once per user and origin, never per request — except behind
 * a proxy, where each request gains one small object (its origin, which undici's agents need).
 */
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Client, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { NetworkSettings, TlsSettings } from '../scenario/types.js';

/** Makes the dispatcher for `origin`; `options` are the engine's per-client options (timeouts, pipelining). */
export type DispatcherFactory = (origin: string, options: Client.Options) => Dispatcher;

const plainClient: DispatcherFactory = (origin, options) => new Client(origin, options);

export function dispatcherFactory(network: NetworkSettings | undefined): DispatcherFactory {
  if (network === undefined || (network.tls === null && network.proxy === null && !network.http2)) return plainClient;
  const tls = tlsOptions(network.tls);
  const allowH2 = network.http2;
  const proxy = network.proxy;
  if (proxy === null) {
    return (origin, options) => new Client(origin, { ...options, allowH2, connect: { ...connectOf(options), ...tls } });
  }
  return (origin, options) => {
    const agent = new EnvHttpProxyAgent({
      ...options,
      // One connection per user and origin, as without a proxy (the agents' factories make a Client for 1).
      connections: 1,
      allowH2,
      connect: { ...connectOf(options), ...tls },
      // The target's TLS inside a CONNECT tunnel (https:// through the proxy).
      requestTls: { ...tls, allowH2 },
      // http:// targets go to the proxy as `GET http://host/path` (what proxies expect for plain
      // HTTP; many refuse CONNECT to port 80); https:// targets are tunnelled with CONNECT.
      proxyTunnel: false,
      // '' (not undefined) so undici does not fall back to process.env: the scenario decided.
      httpProxy: proxy.http ?? '',
      httpsProxy: proxy.https ?? '',
      noProxy: proxy.noProxy,
      factory: (o: string | URL, opts: object) => new Client(o, { ...options, ...opts, allowH2 } as Client.Options),
    } as EnvHttpProxyAgent.Options);
    // undici's agents route by `opts.origin`; a user's requests carry only a path.
    return agent.compose((dispatch) => (opts, handler) => dispatch({ ...opts, origin }, handler));
  };
}

/**
 * Node TLS options for the settings ({} for Node's defaults). Certificates go into one secure
 * context made here, shared by every connection, rather than parsed again for each.
 */
export function tlsOptions(tls: TlsSettings | null): { rejectUnauthorized?: boolean; secureContext?: SecureContext } {
  if (tls === null) return {};
  const o: { rejectUnauthorized?: boolean; secureContext?: SecureContext } = {};
  if (tls.insecure) o.rejectUnauthorized = false;
  if (tls.ca !== null || tls.cert !== null) {
    o.secureContext = createSecureContext({
      // Node's `ca` replaces its bundled roots; keep them, so a corporate CA adds to the public ones.
      ...(tls.ca !== null ? { ca: [...rootCertificates, tls.ca] } : {}),
      ...(tls.cert !== null && tls.key !== null ? { cert: tls.cert, key: tls.key } : {}),
    });
  }
  return o;
}

function connectOf(options: Client.Options): object {
  return typeof options.connect === 'object' && options.connect !== null ? options.connect : {};
}
