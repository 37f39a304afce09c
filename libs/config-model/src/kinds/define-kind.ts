import type * as z from 'zod';
import type { SourcePosition } from '../issues.js';

/** Which rule a kind's `metadata.name` follows (Kubernetes varies it by kind). */
export type NameFormat = 'dns1123-subdomain' | 'dns1123-label';

/**
 * One kind Ambit reads. `body` is every top-level field besides apiVersion, kind and
 * metadata (usually `spec` and `status`; Secret has `data`, `type`, …).
 */
export interface KindDefinition<G extends string = string, K extends string = string, B extends z.ZodRawShape = z.ZodRawShape> {
  /** API group; '' for the Kubernetes core group (apiVersion `v1`). */
  readonly group: G;
  readonly kind: K;
  /** Served versions, newest first; all share one schema, as Istio's CRDs do. */
  readonly versions: readonly string[];
  readonly namespaced: boolean;
  readonly nameFormat?: NameFormat;
  readonly body: B;
  /**
   * Checks across fields of the whole object (metadata and body), for rules Istio's
   * validation applies that one field's schema cannot see.
   */
  // Declared as a method so that a kind's specific definition is still a KindDefinition.
  refine?(object: z.output<z.ZodObject<B>> & { metadata: WrittenMetadata }, ctx: z.RefinementCtx): void;
}

/**
 * The metadata a kind's `refine` sees: as written in the file, before defaults (the
 * namespace is unknown when the file leaves it out).
 */
export interface WrittenMetadata {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

export function defineKind<const G extends string, const K extends string, const B extends z.ZodRawShape>(
  definition: KindDefinition<G, K, B>,
): KindDefinition<G, K, B> {
  return definition;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Metadata every resource has after normalisation. */
export interface ResourceMetadata {
  readonly name: string;
  /** The namespace (defaulted when the file left it out); '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Kubernetes' generation, when the object came from an API server; 0 otherwise. */
  readonly generation: number;
}

/**
 * The typed, normalised form of a resource of kind D: apiVersion differences erased
 * (the served version is kept only for reporting), defaults applied, durations in ms.
 */
export type ResourceOf<D> =
  D extends KindDefinition<infer G, infer K, infer B>
    ? {
        readonly group: G;
        readonly kind: K;
        readonly apiVersion: string;
        readonly metadata: ResourceMetadata;
        /** Where the object starts in its source. */
        readonly source: SourcePosition;
      } & Readonly<z.output<z.ZodObject<B>>>
    : never;
