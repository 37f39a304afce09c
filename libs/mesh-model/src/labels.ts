/** Label maps and the two selector forms the mesh evaluates. */

export type Labels = Readonly<Record<string, string>>;

export const EMPTY_LABELS: Labels = Object.freeze({});

/**
 * Whether every label of `selector` is in `labels` with the same value (Istio's
 * `SubsetOf`, Kubernetes' `matchLabels`). An empty selector selects everything;
 * callers decide whether an empty selector is allowed to select at all.
 */
export function selects(selector: Labels, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector)) {
    if (labels[key] !== value) return false;
  }
  return true;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[] | undefined;
}

/** metav1.LabelSelector: requirements are AND-ed; an empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels?: Labels | undefined;
  readonly matchExpressions?: readonly LabelSelectorRequirement[] | undefined;
}

export function matchesLabelSelector(selector: LabelSelector, labels: Labels): boolean {
  if (!selects(selector.matchLabels ?? EMPTY_LABELS, labels)) return false;
  return (selector.matchExpressions ?? []).every((req) => {
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        return value !== undefined && (req.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(req.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
}

/** A label map as written, or undefined when it has no labels. */
export function nonEmpty(labels: Labels | undefined): Labels | undefined {
  return labels !== undefined && Object.keys(labels).length > 0 ? labels : undefined;
}
