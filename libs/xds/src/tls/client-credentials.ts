import { checkServerIdentity, createSecureContext, type PeerCertificate } from 'node:tls';
import { credentials, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import { UnexpectedServerIdentityError, XdsOptionError } from '../errors.js';
import { authorizationValue, isBearerToken, MAX_BEARER_TOKEN_LENGTH } from './bearer-token.js';
import { secureContextOptions, type TlsMaterial, type TrustOnlyMaterial } from './material.js';
import { uriSubjectAltNames } from './subject-alt-names.js';

/**
 * What a client presents and expects: a certificate with its key (or none yet, for a
 * node that authenticates with a token only), the roots, and optionally a bearer token.
 */
export type ClientTlsMaterial = (TlsMaterial | TrustOnlyMaterial) & ClientExpectations;

export interface ClientExpectations {
  /**
   * Identities (URI subjectAltNames, e.g. `spiffe://cluster.local/ns/istio-system/sa/ambit`)
   * of which the server's certificate must carry one. Mesh certificates have no DNS
   * names, so this replaces hostname verification; without it the server must have a
   * certificate for the host name the client dials.
   */
  readonly serverIdentities?: readonly string[];
  /**
   * Sent as `authorization: Bearer <token>` on every call (xDS streams and CA calls): how
   * a node proves which node it is (a bootstrap token in local mode, its service-account
   * token on Kubernetes). RFC 6750 token characters, at most 8 KiB.
   */
  readonly bearerToken?: string;
}

/**
 * The proxy's certificate (and token) for connections to the control plane, and what it
 * expects of the server. `update` rotates them (a renewed certificate, a refreshed token); the client uses the new material from its next connection on,
 * and the open stream continues on the old one.
 */
export class XdsClientCredentials {
  #channel: ChannelCredentials;
  readonly #checksIdentity: boolean;

  constructor(material: ClientTlsMaterial) {
    this.#channel = channelCredentials(material);
    this.#checksIdentity = material.serverIdentities !== undefined;
    channels.set(this, () => this.#channel);
    identityChecks.set(this, this.#checksIdentity);
  }

  update(material: ClientTlsMaterial): void {
    if ((material.serverIdentities !== undefined) !== this.#checksIdentity) {
      throw new XdsOptionError('serverIdentities', material.serverIdentities === undefined ? 'left out' : 'given', 'an update must keep checking the server the same way (by identity, or by host name)');
    }
    this.#channel = channelCredentials(material);
  }
}

/**
 * The TLS server name sent when the server is checked by its SPIFFE identity. Mesh
 * certificates carry no DNS names and the control plane is often dialled by IP, which
 * RFC 6066 forbids as a server name (Node warns, DEP0123): a fixed DNS-style name is
 * sent instead, and the identity check ignores it.
 */
export const IDENTITY_CHECKED_SERVER_NAME = 'ambit-control-plane.mesh';

function channelCredentials(material: ClientTlsMaterial): ChannelCredentials {
  const expected = material.serverIdentities;
  if (expected?.length === 0) throw new XdsOptionError('serverIdentities', '[]', 'must name at least one identity, or be left out');
  const token = material.bearerToken;
  // Never quoted: the error says only what is wrong with it.
  if (token !== undefined && !isBearerToken(token)) {
    throw new XdsOptionError('bearerToken', `(${token.length} characters)`, `must be 1 to ${MAX_BEARER_TOKEN_LENGTH} RFC 6750 token characters (A-Z a-z 0-9 - . _ ~ + / and trailing =)`);
  }
  const context = createSecureContext(secureContextOptions(material, 'xDS client TLS material'));
  const channel = credentials.createFromSecureContext(context, {
    checkServerIdentity: (hostname: string, certificate: PeerCertificate) => {
      if (expected === undefined) return checkServerIdentity(hostname, certificate);
      const found = uriSubjectAltNames(certificate.subjectaltname);
      return found.some((uri) => expected.includes(uri)) ? undefined : new UnexpectedServerIdentityError(found, expected);
    },
  });
  if (token === undefined) return channel;
  const value = authorizationValue(token);
  return channel.compose(
    credentials.createFromMetadataGenerator((_params, callback) => {
      const metadata = new Metadata();
      metadata.set('authorization', value);
      callback(null, metadata);
    }),
  );
}

const channels = new WeakMap<XdsClientCredentials, () => ChannelCredentials>();

const identityChecks = new WeakMap<XdsClientCredentials, boolean>();

/** Channel options the credentials need: the server name to send when the server is checked by identity. */
export function grpcChannelOptions(credentials: XdsClientCredentials): Record<string, string> {
  return identityChecks.get(credentials) === true ? { 'grpc.ssl_target_name_override': IDENTITY_CHECKED_SERVER_NAME } : {};
}

/** The grpc-js credentials for the client's next connection. */
export function grpcChannelCredentials(credentials: XdsClientCredentials): ChannelCredentials {
  return channels.get(credentials)!();
}
