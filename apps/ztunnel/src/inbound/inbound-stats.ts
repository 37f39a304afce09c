/** The two inbound paths. */
export type InboundPath = 'hbone' | 'plaintext';

/** Counts of one path since start, and what is open now. */
export interface InboundPathStatus {
  /** Connections relayed to the workload (open or finished). */
  readonly relayed: number;
  /** Refused by L4 authorization. */
  readonly denied: number;
  /** Refused before authorization: unknown destination, address mismatch, self call, no single port. */
  readonly refused: number;
  /** The workload did not accept the connection. */
  readonly connectFailed: number;
  readonly open: number;
}

type Counts = { -readonly [K in keyof InboundPathStatus]: number };

/** Inbound connection counts for the admin dump (`inbound` section). */
export class InboundStats {
  readonly #paths: Record<InboundPath, Counts> = { hbone: zero(), plaintext: zero() };

  count(path: InboundPath, outcome: Exclude<keyof InboundPathStatus, 'open'>): void {
    this.#paths[path][outcome]++;
  }

  opened(path: InboundPath): void {
    this.#paths[path].open++;
  }

  closed(path: InboundPath): void {
    this.#paths[path].open--;
  }

  status(): Readonly<Record<InboundPath, InboundPathStatus>> {
    return { hbone: { ...this.#paths.hbone }, plaintext: { ...this.#paths.plaintext } };
  }
}

function zero(): Counts {
  return { relayed: 0, denied: 0, refused: 0, connectFailed: 0, open: 0 };
}
