import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, SpiffeId } from '@ambit/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFileError, TokenFileError } from './errors.js';
import { XdsCertificate } from './xds-certificate.js';

const TOKEN = 'mJ1Qe2xZ-3n4_aB5cD6eF7gH8iJ9kL0mN1oP2qR3sT4';
const SERVER = 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane';
const ZTUNNEL = 'spiffe://cluster.local/ns/istio-system/sa/ztunnel';

let dir: string;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ambit-zt-creds-'));
  const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
  const { privateKey } = generateKeyPair();
  const signed = ca.sign(createCsr(privateKey, SpiffeId.parse(ZTUNNEL)), { identity: SpiffeId.parse(ZTUNNEL) });
  await writeFile(file('root.pem'), ca.trustBundle().join(''));
  await writeFile(file('cert.pem'), signed.certChain.join(''));
  await writeFile(file('key.pem'), privateKeyToPem(privateKey));
  await writeFile(file('token'), `${TOKEN}\n`);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function failure(files: Parameters<typeof XdsCertificate.load>[0]): Promise<Error> {
  return XdsCertificate.load(files).then(
    () => {
      throw new Error('expected the files to be refused');
    },
    (error: unknown) => error as Error,
  );
}

describe('XdsCertificate', () => {
  it('authenticates with the token only: no certificate to dump, the roots kept for HBONE', async () => {
    const xds = await XdsCertificate.load({ tokenFile: file('token'), rootCertFile: file('root.pem'), serverIdentity: SERVER });
    expect(xds.identity).toBeUndefined();
    expect(xds.dump()).toEqual([]);
    expect(xds.pending()).toBeUndefined();
    expect(xds.rootCerts).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(JSON.stringify(xds)).not.toContain(TOKEN);
  });

  it('authenticates with a certificate, with or without a token, and dumps the certificate', async () => {
    for (const tokenFile of [undefined, file('token')]) {
      const xds = await XdsCertificate.load({ certFile: file('cert.pem'), keyFile: file('key.pem'), tokenFile, rootCertFile: file('root.pem'), serverIdentity: SERVER });
      expect(xds.identity).toBe(ZTUNNEL);
      expect(xds.dump().map((entry) => [entry.identity, entry.state, entry.certChain.length, entry.rootCerts.length])).toEqual([[ZTUNNEL, 'Available', 2, 1]]);
      expect(JSON.stringify(xds.dump())).not.toContain(TOKEN);
    }
  });

  it.each([
    ['missing', async () => file('absent'), /absent: cannot be read \(ENOENT\)$/],
    ['a directory', async () => dir, /: cannot be read \(EISDIR\)$/],
    ['empty', async () => write('empty', '\n'), /empty: is empty$/],
    ['oversized', async () => write('huge', 'a'.repeat(9000)), /huge: is larger than 8256 bytes$/],
    ['not a token', async () => write('spaces', 'S3CRET with spaces\n'), /spaces: does not hold a bearer token: expected 1 to 8192 characters of .+; it has 18 characters$/],
    ['two lines', async () => write('lines', `${TOKEN}\n${TOKEN}\n`), /lines: does not hold a bearer token: .+ on one line; it has 87 characters$/],
  ])('refuses a token file that is %s, naming the file and never quoting it', async (_, make, message) => {
    const error = await failure({ tokenFile: await make(), rootCertFile: file('root.pem'), serverIdentity: SERVER });
    expect(error).toBeInstanceOf(TokenFileError);
    expect(error).toMatchObject({ code: 'AMBIT_ERR_ZTUNNEL_TOKEN_FILE' });
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/S3CRET|mJ1Qe2/);
    expect((error as TokenFileError).hint).toMatch(/--xds-token-file/);
  });

  it('refuses half a certificate, no credentials at all, and bad PEM files, naming the file', async () => {
    const roots = { rootCertFile: file('root.pem'), serverIdentity: SERVER };
    expect(await failure({ certFile: file('cert.pem'), tokenFile: file('token'), ...roots })).toMatchObject({ file: file('cert.pem'), message: expect.stringMatching(/without its pair/) });
    expect(await failure(roots)).toBeInstanceOf(CertificateFileError);
    expect((await failure({ tokenFile: file('token'), rootCertFile: file('token'), serverIdentity: SERVER })).message).toMatch(/token: is not a PEM certificate bundle/);
    expect((await failure({ certFile: file('cert.pem'), keyFile: file('root.pem'), ...roots })).message).toMatch(/cert\.pem with .+root\.pem: /);
    const large = await write('large.pem', 'x'.repeat(1024 * 1024 + 1));
    expect((await failure({ tokenFile: file('token'), rootCertFile: large, serverIdentity: SERVER })).message).toMatch(/large\.pem: is larger than 1048576 bytes$/);
  });
});

async function write(name: string, text: string): Promise<string> {
  await writeFile(file(name), text);
  return file(name);
}
