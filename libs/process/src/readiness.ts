/** One thing readiness waits for; `pending` says why it is not ready, undefined once it is. */
export interface ReadinessCheck {
  readonly name: string;
  readonly pending: () => string | undefined;
}

export interface Readiness {
  readonly ready: boolean;
  /** One line per check: `<name>: ready` or `<name>: <why not>`. */
  readonly lines: readonly string[];
}

/** Ready when every check is; the lines say which part is not, for a person reading the probe. */
export function readiness(checks: readonly ReadinessCheck[]): Readiness {
  const lines: string[] = [];
  let ready = true;
  for (const check of checks) {
    const pending = check.pending();
    if (pending !== undefined) ready = false;
    lines.push(`${check.name}: ${pending ?? 'ready'}`);
  }
  return { ready, lines };
}
