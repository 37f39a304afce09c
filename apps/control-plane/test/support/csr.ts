import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, privateKeyToPem } from '@ambit/crypto';

/** Whether `openssl` can be run here; tests that need CSRs createCsr cannot make are skipped (and reported so) without it. */
export const HAS_OPENSSL = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * A CSR made by OpenSSL, as other agents make them, with exactly the subjectAltNames
 * given (`URI:spiffe://…,DNS:example.com`; none when undefined): the requests
 * `createCsr` never makes and the CA must refuse.
 */
export function opensslCsr(subjectAltNames: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'ambit-csr-'));
  try {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKeyToPem(generateKeyPair().privateKey));
    const extension = subjectAltNames === undefined ? [] : ['-addext', `subjectAltName=${subjectAltNames}`];
    return execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/O=ambit-test', ...extension], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
