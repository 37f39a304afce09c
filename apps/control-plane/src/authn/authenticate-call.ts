import { grpcStatusOf, type PeerIdentity } from '@ambit/xds';
import type { Caller, CallerAuthenticator } from './caller.js';
import { callerFromCertificate } from './certificate-caller.js';
import { UnauthenticatedCallerError } from './errors.js';

/** What a call to the control plane presented: its verified TLS peer and its bearer token. */
export interface CallCredentials {
  readonly peer: PeerIdentity | undefined;
  readonly bearerToken: string | undefined;
}

export interface CallerAuthenticationOptions {
  readonly trustDomain: string;
  /** Verifies bearer tokens (bootstrap tokens, TokenReview); without it every token is refused. */
  readonly tokens: CallerAuthenticator | undefined;
}

/**
 * Picks the caller of an xDS stream or CA call from what it presented:
 *
 * 1. a bearer token, when there is one, decides alone: a node (or a workload, for a
 *    service-account token of a waypoint's pod), or UNAUTHENTICATED if the token is not
 *    accepted — a client certificate beside a bad token does not rescue the call, since
 *    a client that sends a token means to be judged by it;
 * 2. otherwise a verified client certificate: a workload with its identity;
 * 3. otherwise UNAUTHENTICATED.
 */
export class CallerAuthentication {
  readonly #options: CallerAuthenticationOptions;

  constructor(options: CallerAuthenticationOptions) {
    this.#options = options;
  }

  async authenticate(credentials: CallCredentials, signal: AbortSignal): Promise<Caller> {
    const { bearerToken, peer } = credentials;
    if (bearerToken !== undefined) return this.#byToken(bearerToken, signal);
    if (peer !== undefined) return callerFromCertificate(peer, this.#options.trustDomain);
    throw new UnauthenticatedCallerError('no verified client certificate and no bearer token');
  }

  async #byToken(token: string, signal: AbortSignal): Promise<Caller> {
    const authenticator = this.#options.tokens;
    if (authenticator === undefined) throw new UnauthenticatedCallerError('this control plane accepts no bearer tokens (start it with --node-tokens)');
    try {
      return await authenticator.authenticate(token, signal);
    } catch (error) {
      // An authenticator's own status (e.g. UNAVAILABLE when the token reviewer cannot be reached) is kept.
      if (grpcStatusOf(error) !== undefined) throw error;
      throw new UnauthenticatedCallerError(error instanceof Error ? error.message : 'the bearer token was refused', error);
    }
  }
}

/** The caller as log lines and errors name it (never with its token). */
export function describeCaller(caller: Caller): string {
  return caller.kind === 'node' ? `node ${caller.node} (${caller.proof})` : `${caller.identity.toString()} (${caller.proof})`;
}
