import { readFile } from 'node:fs/promises';
import { XdsClientCredentials, type ClientTlsMaterial } from '@ambit/xds';
import { dumpCertificate, pemCertificates, uriNames, type CertificateSource, type CertificatesDump } from './certificate-source.js';
import { CertificateFileError } from './errors.js';

export interface XdsCertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly rootCertFile: string;
  /** The identity the control plane must present. */
  readonly serverIdentity: string;
}

/** Files larger than this are not PEM certificates or keys. */
const MAX_PEM_BYTES = 1024 * 1024;

/**
 * The certificate ztunnel presents to the control plane, read from PEM files at start:
 * the xDS client's credentials and the first entry of the admin dump's certificates.
 */
export class XdsCertificate implements CertificateSource {
  readonly name = 'xds';
  readonly credentials: XdsClientCredentials;
  /** The SPIFFE ID the certificate carries (what the control plane admits ztunnel by). */
  readonly identity: string;
  readonly #dump: CertificatesDump;

  private constructor(credentials: XdsClientCredentials, identity: string, dump: CertificatesDump) {
    this.credentials = credentials;
    this.identity = identity;
    this.#dump = dump;
  }

  /** Reads and checks the files; throws CertificateFileError naming the file at fault. */
  static async load(files: XdsCertificateFiles): Promise<XdsCertificate> {
    const [certPem, privateKey, rootPem] = await Promise.all([read(files.certFile), read(files.keyFile), read(files.rootCertFile)]);
    const chain = parse(files.certFile, certPem);
    const roots = parse(files.rootCertFile, rootPem);
    const material: ClientTlsMaterial = { certChain: certPem, privateKey, trustBundle: rootPem, serverIdentities: [files.serverIdentity] };
    let credentials: XdsClientCredentials;
    try {
      credentials = new XdsClientCredentials(material);
    } catch (error) {
      throw new CertificateFileError(`${files.certFile} with ${files.keyFile}`, error instanceof Error ? error.message : String(error), error);
    }
    const identity = uriNames(chain[0]!)[0] ?? chain[0]!.subject;
    return new XdsCertificate(credentials, identity, { identity, state: 'Available', certChain: chain.map(dumpCertificate), rootCerts: roots.map(dumpCertificate) });
  }

  pending(): undefined {
    return undefined;
  }

  dump(): readonly CertificatesDump[] {
    return [this.#dump];
  }
}

async function read(file: string): Promise<string> {
  let text: Buffer;
  try {
    text = await readFile(file);
  } catch (error) {
    throw new CertificateFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  if (text.length > MAX_PEM_BYTES) throw new CertificateFileError(file, `is ${text.length} bytes; PEM files here are at most ${MAX_PEM_BYTES}`);
  return text.toString('utf8');
}

function parse(file: string, pem: string) {
  try {
    const certificates = pemCertificates(pem);
    if (certificates.length === 0) throw new Error('no "BEGIN CERTIFICATE" block');
    return certificates;
  } catch (error) {
    throw new CertificateFileError(file, `is not a PEM certificate bundle: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
