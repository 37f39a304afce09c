import type { MessageCodec } from '../proto/codec.js';
import { XdsOptionError } from '../errors.js';
import { WILDCARD } from '../server/subscription-tracker.js';

export interface ResourceUpdate<T> {
  readonly typeUrl: string;
  readonly nonce: string;
  readonly upserted: readonly { readonly name: string; readonly version: string; readonly resource: T }[];
  /** Names the server removed, or (for names subscribed explicitly) says do not exist. */
  readonly removed: readonly string[];
}

/**
 * Applies one response to the proxy's state, all of it or none of it. Returning ACKs the
 * response; throwing NACKs it with the error's message, and the proxy must then keep
 * the state it had before (the client keeps its versions; the server will not resend
 * the rejected versions until they change).
 */
export type UpdateHandler<T> = (update: ResourceUpdate<T>) => void;

export interface WatchOptions {
  /** Resource names to subscribe to; default: every resource of the type (wildcard). Include `*` for both. */
  readonly names?: readonly string[];
}

/** One type the client subscribes to; build it with `watchResources`. */
export interface ResourceWatch {
  readonly typeUrl: string;
  readonly wildcard: boolean;
  readonly names: readonly string[];
  readonly decode: (bytes: Uint8Array) => unknown;
  readonly onUpdate: UpdateHandler<unknown>;
}

export function watchResources<T>(codec: MessageCodec<T>, onUpdate: UpdateHandler<T>, options: WatchOptions = {}): ResourceWatch {
  const names = options.names;
  if (names !== undefined && names.length === 0) {
    throw new XdsOptionError(`names of ${codec.typeUrl}`, '[]', 'must name at least one resource; leave it out for a wildcard subscription');
  }
  return {
    typeUrl: codec.typeUrl,
    wildcard: names === undefined || names.includes(WILDCARD),
    names: (names ?? []).filter((name) => name !== WILDCARD),
    decode: (bytes) => codec.decode(bytes),
    // The handler only ever sees resources its own codec decoded.
    onUpdate: onUpdate as UpdateHandler<unknown>,
  };
}
