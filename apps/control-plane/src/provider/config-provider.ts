import type { Resource } from '@ambit/config-model';
import type { Runner } from '../runner.js';
import type { ResourceKey } from './resource-key.js';

/**
 * One step of the mesh's input: resources added or changed, and resources gone. A
 * resource appears at most once per batch, either upserted or removed, never both.
 */
export interface ResourceChangeBatch {
  readonly upserted: readonly Resource[];
  readonly removed: readonly ResourceKey[];
}

export type ChangeListener = (batch: ResourceChangeBatch) => void;

/**
 * The first stage of the pipeline: where the mesh's resources come from (a directory
 * of YAML, or the Kubernetes API). `snapshot()` followed by every later batch is
 * exactly the provider's state; both are synchronous, so a listener subscribed in the
 * same tick as the snapshot misses nothing.
 */
export interface ConfigProvider extends Runner {
  /** Calls `listener` with every later batch; returns the function that stops it. */
  subscribe(listener: ChangeListener): () => void;
  /** Every resource now in force, in source order. */
  snapshot(): readonly Resource[];
}
