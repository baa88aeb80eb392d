/**
 * Seeded randomness for the demo world. Everything the seeder writes derives from one seed number through
 * these generators, so the same seed gives the same rows, ids included. Math.random is never used.
 */

/** splitmix32: spreads a (possibly small, possibly similar) seed over the whole 32-bit state space. */
function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over a label, so forks can be named instead of numbered. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, passes PractRand, and a
 * counter guarantees a period of at least 2^32 from any state — far past the ~10^8 draws a large world takes.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /** `stream` selects one of many independent sequences for the same seed (see fork). */
  constructor(
    readonly seed: number,
    readonly stream = 0,
  ) {
    const lo = splitmix32(seed >>> 0);
    const hi = splitmix32((Math.floor(seed / 0x100000000) >>> 0) ^ 0x5bd1e995);
    const st = splitmix32((stream >>> 0) ^ 0x27d4eb2f);
    this.a = lo() ^ st();
    this.b = hi() ^ st();
    this.c = lo() ^ hi();
    this.d = (st() ^ lo()) | 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /**
   * An independent stream named by `label`, derived from the seed (not from how far this one has been drawn),
   * so phases that draw from their own forks do not shift each other's output.
   */
  fork(label: string | number): Random {
    return new Random(this.seed, hashLabel(`${this.stream}/${label}`));
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 0x100000000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One item, with probability proportional to its weight. For repeated draws over many items use WeightedSampler. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Picks from `[item, weight]` pairs. */
  weightedPair<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const p of pairs) total += p[1];
    let r = this.next() * total;
    for (const p of pairs) {
      r -= p[1];
      if (r < 0) return p[0];
    }
    return pairs[pairs.length - 1]![0];
  }

  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = t;
    }
    return arr;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Log-normal with the given median and shape σ. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Pareto (power law) with scale `min` and tail index `alpha`: P(X > x) = (min/x)^alpha. */
  pareto(min: number, alpha: number): number {
    return min / Math.pow(1 - this.next(), 1 / alpha);
  }

  /** Number of failures before the first success, success probability p. */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** Rank in 0..n-1 drawn from a Zipf law with exponent s (rank 0 most likely). Builds a table per call: for many draws use zipfSampler. */
  zipf(n: number, s: number): number {
    return zipfSampler(n, s).sample(this);
  }

  /** `len` characters of [A-Za-z0-9]. */
  alnum(len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += ALNUM[this.uint32() % 62];
    return out;
  }

  /** `len` characters of a custom alphabet. */
  chars(alphabet: string, len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += alphabet[this.uint32() % alphabet.length];
    return out;
  }
}

/**
 * Vose's alias method: O(n) setup, O(1) per draw. Used for the heavy-tailed choices made millions of times
 * (authors, follow targets, likers).
 */
export class WeightedSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('WeightedSampler needs at least one weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    if (!(total > 0)) throw new Error('WeightedSampler needs a positive total weight');
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Random): number {
    const x = rng.next() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Weights 1/(rank+offset)^s for ranks 0..n-1. */
export function zipfWeights(n: number, s: number, offset = 1): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / Math.pow(i + offset, s);
  return w;
}

export function zipfSampler(n: number, s: number, offset = 1): WeightedSampler {
  return new WeightedSampler(zipfWeights(n, s, offset));
}
