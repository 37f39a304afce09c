/**
 * Each setting's name is written once: the flag is `--<name>` and the environment
 * variable `AMBIT_<NAME>` (dashes become underscores), so the two can never drift apart.
 */
export function flagOf(name: string): string {
  return `--${name}`;
}

export function envOf(name: string): string {
  return `AMBIT_${name.toUpperCase().replaceAll('-', '_')}`;
}
