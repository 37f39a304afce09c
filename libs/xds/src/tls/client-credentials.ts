import { checkServerIdentity, createSecureContext, type PeerCertificate } from 'node:tls';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { UnexpectedServerIdentityError, XdsOptionError } from '../errors.js';
import { secureContextOptions, type TlsMaterial } from './material.js';
import { uriSubjectAltNames } from './subject-alt-names.js';

export interface ClientTlsMaterial extends TlsMaterial {
  /**
   * Identities (URI subjectAltNames, e.g. `spiffe://cluster.local/ns/istio-system/sa/ambit`)
   * of which the server's certificate must carry one. Mesh certificates have no DNS
   * names, so this replaces hostname verification; without it the server must have a
   * certificate for the host name the client dials.
   */
  readonly serverIdentities?: readonly string[];
}

/**
 * The proxy's certificate for the xDS connection and what it expects of the server.
 * `update` rotates them; the client uses the new material from its next connection on,
 * and the open stream continues on the old one.
 */
export class XdsClientCredentials {
  #channel: ChannelCredentials;

  constructor(material: ClientTlsMaterial) {
    this.#channel = channelCredentials(material);
    channels.set(this, () => this.#channel);
  }

  update(material: ClientTlsMaterial): void {
    this.#channel = channelCredentials(material);
  }
}

function channelCredentials(material: ClientTlsMaterial): ChannelCredentials {
  const expected = material.serverIdentities;
  if (expected?.length === 0) throw new XdsOptionError('serverIdentities', '[]', 'must name at least one identity, or be left out');
  const context = createSecureContext(secureContextOptions(material, 'xDS client TLS material'));
  return credentials.createFromSecureContext(context, {
    checkServerIdentity: (hostname: string, certificate: PeerCertificate) => {
      if (expected === undefined) return checkServerIdentity(hostname, certificate);
      const found = uriSubjectAltNames(certificate.subjectaltname);
      return found.some((uri) => expected.includes(uri)) ? undefined : new UnexpectedServerIdentityError(found, expected);
    },
  });
}

const channels = new WeakMap<XdsClientCredentials, () => ChannelCredentials>();

/** The grpc-js credentials for the client's next connection. */
export function grpcChannelCredentials(credentials: XdsClientCredentials): ChannelCredentials {
  return channels.get(credentials)!();
}
