import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** A throwaway self-signed server certificate, PEM. */
export interface ServerTls {
  /** What a client trusts (the kubeconfig's certificate-authority-data): the certificate itself. */
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

let shared: Promise<ServerTls> | undefined;

/** One certificate per test process: making an RSA key and signing with it are the slowest part of starting a stand-in. */
export function standInTls(): Promise<ServerTls> {
  shared ??= createServerTls();
  return shared;
}

/**
 * A fresh self-signed certificate for `localhost`, 127.0.0.1 and ::1, which clients trust
 * as their CA, so that they verify the stand-in exactly as they verify a real API server
 * (chain and host name). @ambit/crypto issues only SPIFFE workload certificates (URI
 * names), which a host-name check rejects, so this one is built with node-forge; the key
 * comes from node:crypto, off the event loop.
 */
export async function createServerTls(): Promise<ServerTls> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  // Positive: a leading 0 nibble keeps the DER integer from reading as negative.
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + DAY_MS);
  const subject = [{ name: 'commonName', value: 'kube-stand-in' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
  ]);
  cert.sign(forgePrivate, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  return { caCert: pem, cert: pem, key: forge.pki.privateKeyToPem(forgePrivate) };
}
