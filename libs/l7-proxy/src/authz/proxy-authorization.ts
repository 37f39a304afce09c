import { AuthorizationEngine, PolicyStore, type PolicyUpdate } from '@ambit/authz';
import type { AuthorizeRequest, AuthorizeResult } from '@ambit/l7';
import type { Logger } from '@ambit/telemetry';
import type { ProxyRequestContext } from '../engine/index.js';
import { AuthorizationRejectedError } from './errors.js';

/** A request whose context says nothing of its destination cannot be matched against policies: refused. */
const NO_DESTINATION: AuthorizeResult = Object.freeze({ allowed: false });

/**
 * A proxy's L7 authorization (Envoy's RBAC filter at a waypoint): the Authorization
 * resources xDS delivers, compiled into one PolicyStore (one writer: the xDS adapter),
 * and one AuthorizationEngine deciding each routed request with `decideHttp`.
 */
export class ProxyAuthorization {
  readonly #store = new PolicyStore();
  readonly #engine = new AuthorizationEngine(this.#store);
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** The number of policies held (compiled or fail-closed). */
  get size(): number {
    return this.#store.size;
  }

  /**
   * Applies one Authorization delta. Throws AuthorizationRejectedError (NACK) when a
   * resource could not be compiled; what could be is in force, the rest fail-closed.
   */
  apply(update: PolicyUpdate): void {
    const result = this.#store.apply(update);
    if (result.rejected.length > 0) throw new AuthorizationRejectedError(result.rejected);
  }

  /** The engine's authorize hook. */
  readonly authorize = (request: AuthorizeRequest<ProxyRequestContext>): AuthorizeResult => {
    const { context } = request;
    const destination = context.destination;
    const sourceIp = context.source.ip;
    if (destination === undefined || sourceIp === undefined) {
      this.#log.debug('request refused: no destination or source address to authorize', { route: request.route });
      return NO_DESTINATION;
    }
    const decision = this.#engine.decideHttp({
      identity: context.peer,
      sourceIp,
      destinationIp: destination.ip,
      destinationPort: destination.port,
      service: destination.service,
      host: request.host,
      method: request.method,
      path: request.path,
      headers: request.req.headers,
    });
    if (!decision.allowed) {
      // Never the headers' values: they may carry credentials.
      this.#log.debug('request denied by authorization policy', {
        policy: decision.policy ?? '-',
        reason: decision.reason,
        principal: context.source.identity ?? '-',
        service: destination.service ?? '-',
        port: destination.port,
        method: request.method,
        path: request.path,
      });
    }
    return decision;
  };
}
