/** Code-point order, independent of locale, for every sort that output depends on. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
