import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchStepError } from './errors.js';
import type { TlsCredential } from './l7-mesh-config.js';

const run = promisify(execFile);

/**
 * A self-signed server certificate (ECDSA P-256, as most public sites now serve) for the
 * gateway's HTTPS port, made with the openssl command line in `dir`. The load generators
 * do not verify it: what is measured is the termination, not the trust.
 */
export async function selfSignedCredential(dir: string, host: string): Promise<TlsCredential> {
  const [cert, key] = [join(dir, 'tls.crt'), join(dir, 'tls.key')];
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', cert,
  ];
  try {
    await run('openssl', args, { timeout: 15_000 });
  } catch (error) {
    throw new BenchStepError(`openssl ${args.join(' ')}`, (error as Error).message.split('\n')[0] ?? 'failed', (error as { stderr?: string }).stderr ?? '');
  }
  return { certPem: await readFile(cert, 'utf8'), keyPem: await readFile(key, 'utf8') };
}
