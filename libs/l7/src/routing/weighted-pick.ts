/** Picks among weighted choices with `random` in [0, 1): over many requests, shares converge to weight / total. */
export class WeightedPick<T> {
  readonly #choices: readonly T[];
  readonly #cumulative: readonly number[];
  readonly #total: number;

  /** Weights must be non-negative with a positive total (the compiler checks). */
  constructor(choices: readonly { readonly value: T; readonly weight: number }[]) {
    let total = 0;
    this.#choices = choices.map((c) => c.value);
    this.#cumulative = choices.map((c) => (total += c.weight));
    this.#total = total;
  }

  pick(random: () => number): T {
    if (this.#choices.length === 1) return this.#choices[0]!;
    const point = random() * this.#total;
    for (let i = 0; i < this.#cumulative.length; i++) if (point < this.#cumulative[i]!) return this.#choices[i]!;
    return this.#choices[this.#choices.length - 1]!;
  }
}
