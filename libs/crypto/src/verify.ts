import { X509Certificate } from 'node:crypto';
import {
  CertificateValidityError,
  MalformedCertificateError,
  PeerIdentityError,
  UnexpectedPeerIdentityError,
  UntrustedChainError,
} from './errors.js';
import { SpiffeId } from './spiffe.js';
import type { TrustBundle } from './trust-bundle.js';
import { parseCertificate, type ParsedCertificate } from './x509/parse.js';

/** Mesh chains are leaf, at most a few intermediates; anything longer is not ours. */
const MAX_CHAIN_LENGTH = 8;

export interface VerifyPeerOptions {
  readonly trustBundle: TrustBundle;
  /** When to check validity periods (default: now). */
  readonly at?: Date;
  /**
   * The identities the peer may have (the client side: the destination's allowed
   * identities). Absent: any identity verified by the bundle is returned for the caller's
   * authorization to decide.
   */
  readonly allowedIdentities?: readonly SpiffeId[];
}

export interface VerifiedPeer {
  readonly identity: SpiffeId;
  /** The leaf's expiry, after which a long-lived connection no longer has a valid peer. */
  readonly notAfter: Date;
}

/**
 * Verifies a peer's chain (leaf first, as TLS presents it) against the trust bundle and
 * returns the leaf's SPIFFE identity. It checks each signature up to an anchor, CA flags
 * and path lengths, validity periods at `at`, and critical extensions, then requires
 * exactly one SPIFFE URI SAN. It is meant to run after a TLS handshake that already
 * verified the chain, so that the identity the mesh acts on is never taken from a
 * certificate this code has not checked itself.
 */
export function verifyPeerChain(chain: readonly (X509Certificate | Uint8Array)[], options: VerifyPeerOptions): VerifiedPeer {
  if (chain.length === 0) throw new UntrustedChainError('the peer presented no certificate');
  if (chain.length > MAX_CHAIN_LENGTH) throw new UntrustedChainError(`the chain has ${chain.length} certificates, more than ${MAX_CHAIN_LENGTH}`);
  const certificates = chain.map((entry, i) => toX509(entry, i));
  const parsed = certificates.map((certificate, i) => parseCertificate(Buffer.from(certificate.raw), describe(i)));
  if (parsed[0]!.isCa) throw new UntrustedChainError('the leaf certificate is a CA certificate');

  const path = pathToAnchor(certificates, parsed, options.trustBundle);
  const at = options.at ?? new Date();
  for (const entry of path) {
    if (at < entry.notBefore || at > entry.notAfter) throw new CertificateValidityError(entry.what, entry.notBefore, entry.notAfter, at);
  }
  for (const [i, certificate] of parsed.slice(0, path.length - 1).entries()) {
    const [unhandled] = certificate.unhandledCriticalExtensions;
    if (unhandled !== undefined) throw new UntrustedChainError(`${describe(i)} has a critical extension Ambit does not process (${unhandled})`);
  }

  const identity = identityOf(parsed[0]!);
  const allowed = options.allowedIdentities;
  if (allowed !== undefined && !allowed.some((candidate) => candidate.equals(identity))) {
    throw new UnexpectedPeerIdentityError(identity.toString(), allowed.map(String));
  }
  return { identity, notAfter: parsed[0]!.notAfter };
}

interface PathEntry {
  readonly what: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Walks from the leaf up the presented certificates until one is issued by an anchor.
 * Certificates after that point (a peer may send its root too) are ignored. Returns the
 * certificates used, the anchor last.
 */
function pathToAnchor(certificates: readonly X509Certificate[], parsed: readonly ParsedCertificate[], bundle: TrustBundle): PathEntry[] {
  const path: PathEntry[] = [];
  // Ends by returning at an anchor or throwing when the presented certificates run out.
  for (let i = 0; ; i++) {
    const current = certificates[i]!;
    path.push({ what: describe(i), notBefore: parsed[i]!.notBefore, notAfter: parsed[i]!.notAfter });
    // Certificates 1..i are the intermediates below whatever issued this one.
    const anchor = bundle.issuerOf(current);
    if (anchor !== undefined) {
      if (anchor.pathLength !== undefined && i > anchor.pathLength) throw new UntrustedChainError(`the root allows ${anchor.pathLength} intermediates, the chain has ${i}`);
      path.push({ what: 'the trust anchor', notBefore: anchor.notBefore, notAfter: anchor.notAfter });
      return path;
    }
    const next = certificates[i + 1];
    const nextParsed = parsed[i + 1];
    if (next === undefined || nextParsed === undefined) {
      throw new UntrustedChainError(`${describe(i)} (issuer "${current.issuer}") is not issued by the trust bundle`);
    }
    if (!nextParsed.isCa || !nextParsed.mayIssueCertificates) throw new UntrustedChainError(`${describe(i + 1)} is not a CA certificate`);
    if (!current.checkIssued(next) || !current.verify(next.publicKey)) throw new UntrustedChainError(`${describe(i)} is not signed by ${describe(i + 1)}`);
    if (nextParsed.pathLength !== undefined && i > nextParsed.pathLength) {
      throw new UntrustedChainError(`${describe(i + 1)} allows ${nextParsed.pathLength} intermediates below it`);
    }
  }
}

function identityOf(leaf: ParsedCertificate): SpiffeId {
  const uris = leaf.subjectAltNames.filter((name) => name.type === 'uri');
  const [uri] = uris;
  if (uri === undefined) throw new PeerIdentityError('the leaf has no URI subjectAltName');
  if (uris.length > 1) throw new PeerIdentityError(`the leaf has ${uris.length} URI subjectAltNames`);
  try {
    return SpiffeId.parse(uri.value);
  } catch (cause) {
    throw new PeerIdentityError(`URI:${uri.value} is not a SPIFFE ID`, cause);
  }
}

function toX509(entry: X509Certificate | Uint8Array, index: number): X509Certificate {
  if (entry instanceof X509Certificate) return entry;
  try {
    return new X509Certificate(entry);
  } catch (cause) {
    throw new MalformedCertificateError(describe(index), 'node:crypto cannot parse it', cause);
  }
}

function describe(index: number): string {
  return index === 0 ? 'the leaf certificate' : `chain certificate ${index + 1}`;
}
