import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceChangeBatch } from '../config-provider.js';

/**
 * Bounded waits for provider tests. The timeout only turns a hang into a failure with
 * a message; nothing asserts how long anything took.
 */
export const WAIT_MS = 5_000;

/** Collects the batches a provider publishes; `next()` waits for the next one not yet taken. */
export class BatchRecorder {
  readonly batches: ResourceChangeBatch[] = [];
  #taken = 0;
  #wake: (() => void) | undefined;

  readonly listener = (batch: ResourceChangeBatch): void => {
    this.batches.push(batch);
    this.#wake?.();
  };

  async next(what: string, timeoutMs = WAIT_MS): Promise<ResourceChangeBatch> {
    let timer: NodeJS.Timeout | undefined;
    try {
      while (this.batches.length <= this.#taken) {
        await new Promise<void>((resolve, reject) => {
          this.#wake = resolve;
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
        });
        clearTimeout(timer);
      }
    } finally {
      clearTimeout(timer);
      this.#wake = undefined;
    }
    return this.batches[this.#taken++]!;
  }

  /** Batches published and not yet taken by next(). */
  get pending(): number {
    return this.batches.length - this.#taken;
  }
}

/** `Kind namespace/name` of what a batch upserts and removes, for compact expectations. */
export function describeBatch(batch: ResourceChangeBatch): { upserted: string[]; removed: string[] } {
  return {
    upserted: batch.upserted.map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`),
    removed: batch.removed.map((k) => `${k.kind} ${k.namespace}/${k.name}`),
  };
}

/** A PeerAuthentication document: small, and its one field makes content changes easy to see. */
export function peerAuthentication(namespace: string, name: string, mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' = 'STRICT'): string {
  return `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  mtls:
    mode: ${mode}
`;
}

/** A fresh directory under the system temp dir, and the function that removes it. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `ambit-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
