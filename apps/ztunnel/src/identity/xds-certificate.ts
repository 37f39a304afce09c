import type { X509Certificate } from 'node:crypto';
import { readSmallFile } from '@ambit/process';
import { readBearerTokenFile, XdsClientCredentials, type ClientTlsMaterial } from '@ambit/xds';
import { dumpCertificate, pemCertificates, uriNames, type CertificateSource, type CertificatesDump } from './certificate-source.js';
import { CertificateFileError, TokenFileError } from './errors.js';

/** How ztunnel proves itself to the control plane: a certificate and key, a bootstrap token, or both. */
export interface XdsCertificateFiles {
  /** ztunnel's certificate chain (leaf first) and its key: both or neither. */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  /** The node's bootstrap token, sent as `authorization: Bearer` on every xDS stream and CA call. */
  readonly tokenFile?: string | undefined;
  /** The mesh roots the control plane's certificate must chain to. */
  readonly rootCertFile: string;
  /** The identity the control plane must present. */
  readonly serverIdentity: string;
}

/** Files larger than this are not PEM certificates or keys. */
const MAX_PEM_BYTES = 1024 * 1024;

/**
 * ztunnel's credentials for the control plane, read from files at start: the xDS
 * client's (and the CA client's) credentials, and the first entry of the admin dump's
 * certificates when there is a certificate. The token is never logged or dumped.
 */
export class XdsCertificate implements CertificateSource {
  readonly name = 'xds';
  readonly credentials: XdsClientCredentials;
  /** The SPIFFE ID of ztunnel's certificate; undefined when it authenticates with its token only. */
  readonly identity: string | undefined;
  /** The mesh roots (PEM), as read: also the trust of HBONE (`new MeshTrust(rootCerts)`). */
  readonly rootCerts: string;
  readonly #dump: readonly CertificatesDump[];

  private constructor(credentials: XdsClientCredentials, identity: string | undefined, rootCerts: string, dump: readonly CertificatesDump[]) {
    this.credentials = credentials;
    this.identity = identity;
    this.rootCerts = rootCerts;
    this.#dump = dump;
  }

  /** Reads and checks the files; throws CertificateFileError or TokenFileError naming the file at fault. */
  static async load(files: XdsCertificateFiles): Promise<XdsCertificate> {
    const { certFile, keyFile, tokenFile } = files;
    if ((certFile === undefined) !== (keyFile === undefined)) {
      throw new CertificateFileError(certFile ?? keyFile!, 'is given without its pair: give both a certificate and its key, or neither');
    }
    if (certFile === undefined && tokenFile === undefined) {
      throw new CertificateFileError(files.rootCertFile, 'is the only file given: ztunnel needs a certificate and key, or a token file, to authenticate');
    }
    const [rootPem, certPem, privateKey, bearerToken] = await Promise.all([
      readPem(files.rootCertFile),
      certFile === undefined ? undefined : readPem(certFile),
      keyFile === undefined ? undefined : readPem(keyFile),
      tokenFile === undefined ? undefined : readToken(tokenFile),
    ]);
    const roots = parse(files.rootCertFile, rootPem);
    const chain = certPem === undefined ? undefined : parse(certFile!, certPem);
    const material: ClientTlsMaterial = {
      trustBundle: rootPem,
      serverIdentities: [files.serverIdentity],
      ...(certPem === undefined || privateKey === undefined ? {} : { certChain: certPem, privateKey }),
      ...(bearerToken === undefined ? {} : { bearerToken }),
    };
    let credentials: XdsClientCredentials;
    try {
      credentials = new XdsClientCredentials(material);
    } catch (error) {
      // The token was checked above, so what is left to fail is the TLS material; the message never carries the token.
      const file = certFile === undefined ? files.rootCertFile : `${certFile} with ${keyFile}`;
      throw new CertificateFileError(file, error instanceof Error ? error.message : String(error), error);
    }
    if (chain === undefined) return new XdsCertificate(credentials, undefined, rootPem, []);
    const identity = identityOf(chain[0]!);
    return new XdsCertificate(credentials, identity, rootPem, [{ identity, state: 'Available', certChain: chain.map(dumpCertificate), rootCerts: roots.map(dumpCertificate) }]);
  }

  pending(): undefined {
    return undefined;
  }

  dump(): readonly CertificatesDump[] {
    return this.#dump;
  }
}

async function readPem(file: string): Promise<string> {
  return (await readSmallFile(file, MAX_PEM_BYTES, (problem, cause) => new CertificateFileError(file, problem, cause))).toString('utf8');
}

/** The token of a token file: its one line, without the line ending. Never quoted in errors. */
function readToken(file: string): Promise<string> {
  return readBearerTokenFile(file, (problem, cause) => new TokenFileError(file, problem, cause));
}

function parse(file: string, pem: string): X509Certificate[] {
  try {
    const certificates = pemCertificates(pem);
    if (certificates.length === 0) throw new Error('no "BEGIN CERTIFICATE" block');
    return certificates;
  } catch (error) {
    throw new CertificateFileError(file, `is not a PEM certificate bundle: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

function identityOf(leaf: X509Certificate): string {
  return uriNames(leaf)[0] ?? leaf.subject;
}
