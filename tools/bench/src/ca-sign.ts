import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, createCsr, generateKeyPair, parseCsr, privateKeyFromPem, ROOT_KEY_FILE, SpiffeId } from '@ambit/crypto';
import { medianMs } from './measure.js';

/**
 * Mesh CA throughput: workload CSRs signed per second by `CertificateAuthority.sign`
 * (parse and verify the CSR, check its identity, build and sign the certificate, PEM),
 * beside the baseline of one raw ECDSA P-256 signature of a 32-byte digest with the CA's
 * own key, measured in the same run. The ratio — how many raw signatures one issued
 * certificate costs — is what to watch: absolute rates drift on shared machines.
 * `--quick` for a short run; AMBIT_BENCH_CSRS sets how many CSRs are signed per round.
 */
const quick = process.argv.includes('--quick');
const count = Number(process.env['AMBIT_BENCH_CSRS'] ?? (quick ? 500 : 2000));
const runs = quick ? 3 : 7;

// A persisted root, so that the baseline can sign with exactly the CA's key.
const dir = mkdtempSync(join(tmpdir(), 'ambit-bench-ca-'));
const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local', dir });
const caKey = privateKeyFromPem(readFileSync(join(dir, ROOT_KEY_FILE), 'utf8'));
rmSync(dir, { recursive: true });

// CSRs are made beforehand, as workloads' node agents would: only the CA's work is timed.
const requests = Array.from({ length: count }, (_, i) => {
  const identity = SpiffeId.of({ trustDomain: 'cluster.local', namespace: `ns-${i % 50}`, serviceAccount: `sa-${i}` });
  return { csr: createCsr(generateKeyPair().privateKey, identity), identity };
});
const digest = Buffer.alloc(32, 7);

const baselineMs = medianMs(runs, () => {
  for (let i = 0; i < count; i++) sign('sha256', digest, caKey);
});
const parseMs = medianMs(runs, () => {
  for (const { csr } of requests) parseCsr(csr);
});
const signMs = medianMs(runs, () => {
  for (const { csr, identity } of requests) ca.sign(csr, { identity });
});

const perSecond = (ms: number): number => Math.round((count / ms) * 1000);
const row = (what: string, ms: number): string =>
  `| ${what} | ${perSecond(ms).toLocaleString('en')} | ${((ms / count) * 1000).toFixed(0)} | **${(ms / baselineMs).toFixed(2)}×** |`;

console.log(
  `ca-sign — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, ${count.toLocaleString('en')} CSRs, median of ${runs}`,
);
console.log('| operation | ops/s | µs/op | cost vs baseline |');
console.log('|---|---|---|---|');
console.log(row('raw `crypto.sign` ECDSA P-256, 32-byte digest (baseline)', baselineMs));
console.log(row('`parseCsr` (parse, check key, verify signature)', parseMs));
console.log(row('`CertificateAuthority.sign` (CSR → leaf chain)', signMs));
