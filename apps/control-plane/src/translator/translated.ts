/** One output resource: its xDS name, its content version and the message. */
export interface Translated<T> {
  readonly name: string;
  readonly version: string;
  readonly resource: T;
}

/** What changed for one resource type: upserts carry new versions; removals are names. */
export interface ResourceDelta<T> {
  readonly upserted: readonly Translated<T>[];
  readonly removed: readonly string[];
}
