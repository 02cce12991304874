/**
 * A throwaway certificate authority made with the real `openssl`: a CA, a server certificate for
 * 127.0.0.1 / localhost signed by it, and a client certificate (CN `cicada-client`) for mutual TLS.
 * PEM files in a temporary directory; the paths and contents are returned.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from './tools.js';

export interface Pem {
  readonly path: string;
  readonly pem: string;
}

export interface TestCerts {
  readonly dir: string;
  readonly ca: Pem;
  readonly serverCert: Pem;
  readonly serverKey: Pem;
  readonly clientCert: Pem;
  readonly clientKey: Pem;
  /** A second CA, and a client certificate and key from it, which the server must refuse. */
  readonly strangerCa: Pem;
  readonly strangerCert: Pem;
  readonly strangerKey: Pem;
}

export function makeCerts(): TestCerts {
  const openssl = toolPath('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'cicada-certs-'));
  const f = (name: string): string => join(dir, name);
  const run = (...args: string[]): void => {
    execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string): void => run('req', '-x509', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.pem`), '-days', '2', '-subj', `/CN=${name}`);
  const signed = (name: string, by: string, cn: string, ext: string): void => {
    run('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    writeFileSync(f(`${name}.ext`), ext);
    run('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${by}.pem`), '-CAkey', f(`${by}.key`), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f(`${name}.ext`));
  };
  ca('test-ca');
  ca('stranger-ca');
  signed('server', 'test-ca', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('client', 'test-ca', 'cicada-client', 'extendedKeyUsage=clientAuth\n');
  signed('stranger', 'stranger-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  const pem = (name: string): Pem => ({ path: f(name), pem: readFileSync(f(name), 'utf8') });
  return {
    dir,
    ca: pem('test-ca.pem'),
    serverCert: pem('server.pem'),
    serverKey: pem('server.key'),
    clientCert: pem('client.pem'),
    clientKey: pem('client.key'),
    strangerCa: pem('stranger-ca.pem'),
    strangerCert: pem('stranger.pem'),
    strangerKey: pem('stranger.key'),
  };
}
