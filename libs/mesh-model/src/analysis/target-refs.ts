/** A policy's `targetRef`/`targetRefs` entry (config-model has refused cross-namespace ones). */
export interface TargetRef {
  readonly group?: string | undefined;
  readonly kind: string;
  readonly name: string;
}

/** A policy's targetRefs in the order written, with the field path of each. */
export function targetRefsOf(spec: { targetRef?: TargetRef | undefined; targetRefs?: readonly TargetRef[] | undefined }): AttachedTarget[] {
  if (spec.targetRef !== undefined) return [{ ref: spec.targetRef, path: 'spec.targetRef' }];
  return (spec.targetRefs ?? []).map((ref, i) => ({ ref, path: `spec.targetRefs[${i}]` }));
}

/** One target with the field path it was written at. */
export interface AttachedTarget {
  readonly ref: TargetRef;
  readonly path: string;
}
