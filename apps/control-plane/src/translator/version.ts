import { createHash } from 'node:crypto';
import type { MessageCodec, MessageInit } from '@ambit/xds';
import { TranslationError } from './errors.js';

/**
 * A resource's version: 96 bits of SHA-256 over its encoding (the xDS resource cache's
 * own default), so an unchanged resource keeps its version across recomputations and
 * restarts, and a changed one gets a new one.
 */
export function contentVersion<T>(codec: MessageCodec<T>, name: string, resource: T): string {
  let bytes: Uint8Array;
  try {
    // A complete message is a valid MessageInit; TypeScript cannot see that for a generic T.
    bytes = codec.encode(resource as MessageInit<T>);
  } catch (cause) {
    throw new TranslationError(codec.typeName, name, cause);
  }
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}
