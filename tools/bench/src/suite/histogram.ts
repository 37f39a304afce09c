import { BenchInputError } from './errors.js';

/**
 * A latency histogram in the manner of HdrHistogram: buckets on a logarithmic scale, each
 * 1% wider than the last, so every percentile it reports is within 1% of the recorded
 * value, in fixed memory (about 2,300 counters from 1 µs to 10⁹ µs) whatever the number
 * of samples. Values are microseconds; below 1 µs they count as 1 µs, above the range
 * they count in the top bucket (and `max` stays exact).
 */
const RATIO = 1.01;
const LOG_RATIO = Math.log(RATIO);
const LOWEST_US = 1;
const HIGHEST_US = 1e9;
const BUCKETS = Math.ceil(Math.log(HIGHEST_US / LOWEST_US) / LOG_RATIO) + 1;

export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;
  #sum = 0;

  /** Records one value in µs (a latency cannot be negative or NaN: that is a bug, and throws). */
  record(us: number): void {
    if (!Number.isFinite(us) || us < 0) throw new BenchInputError('latency (µs)', us, 'a finite number ≥ 0');
    this.#counts[bucketOf(us)]! += 1;
    this.#count++;
    this.#sum += us;
    if (us < this.#min) this.#min = us;
    if (us > this.#max) this.#max = us;
  }

  /** Adds every value of `other` to this one. */
  merge(other: Histogram): void {
    if (other.#count === 0) return;
    for (let i = 0; i < BUCKETS; i++) this.#counts[i]! += other.#counts[i]!;
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
  }

  get count(): number {
    return this.#count;
  }

  get max(): number {
    return this.#count === 0 ? Number.NaN : this.#max;
  }

  get mean(): number {
    return this.#count === 0 ? Number.NaN : this.#sum / this.#count;
  }

  /**
   * The value at percentile `p` (0 < p ≤ 100): the upper edge of the bucket holding the
   * sample of that rank, clamped to the recorded range; NaN when empty.
   */
  percentile(p: number): number {
    if (!(p > 0 && p <= 100)) throw new BenchInputError('percentile', p, 'a number in (0, 100]');
    if (this.#count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.#count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      // The top bucket also holds everything beyond the range: only `max` is known there.
      if (seen >= rank) return i === BUCKETS - 1 ? this.#max : Math.min(this.#max, Math.max(this.#min, upperEdge(i)));
    }
    return this.#max;
  }
}

function bucketOf(us: number): number {
  if (us <= LOWEST_US) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(us / LOWEST_US) / LOG_RATIO));
}

function upperEdge(bucket: number): number {
  return LOWEST_US * RATIO ** bucket;
}
