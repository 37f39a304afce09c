import type { securityV1 } from '@ambit/xds';
import { IpAddress } from './ip-address.js';

/**
 * A list of CIDR blocks (Istio's `ipBlocks`, `source.ip`, `destination.ip` as the
 * translator encodes them), precompiled into network/mask words so that testing an
 * address is a few integer comparisons. Blocks of one family never contain addresses
 * of the other (ztunnel's `IpNet::contains`): `::/0` holds no IPv4 address.
 *
 * A block written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is kept as the IPv4 block
 * it denotes (`10.0.0.0/8`), since connection addresses are canonical: ztunnel keeps it
 * as IPv6 and so never matches anything with it (see docs/authorization.md).
 */
export class CidrSet {
  readonly size: number;
  readonly #v4Net: Uint32Array;
  readonly #v4Mask: Uint32Array;
  readonly #v6Net: Uint32Array;
  readonly #v6Mask: Uint32Array;

  private constructor(v4Net: number[], v4Mask: number[], v6Net: number[], v6Mask: number[]) {
    this.#v4Net = Uint32Array.from(v4Net);
    this.#v4Mask = Uint32Array.from(v4Mask);
    this.#v6Net = Uint32Array.from(v6Net);
    this.#v6Mask = Uint32Array.from(v6Mask);
    this.size = v4Net.length + v6Net.length / 4;
  }

  /**
   * Compiles wire blocks (4 or 16 address bytes, a prefix length within the family).
   * Host bits beyond the prefix are ignored, as `IpNet::contains` ignores them. On the
   * first bad block, `invalid` is called with its index and the problem.
   */
  static compile(blocks: readonly securityV1.CidrBlock[], invalid: (index: number, field: 'address' | 'length', problem: string) => never): CidrSet {
    const v4Net: number[] = [];
    const v4Mask: number[] = [];
    const v6Net: number[] = [];
    const v6Mask: number[] = [];
    const address = new IpAddress();
    blocks.forEach((block, index) => {
      if (!address.load(block.address)) invalid(index, 'address', `must be 4 or 16 bytes, not ${block.address.length}`);
      const bits = address.family === 4 ? 32 : 128;
      if (!Number.isInteger(block.length) || block.length < 0 || block.length > bits) {
        invalid(index, 'length', `${block.length} is not a prefix length of an IPv${address.family} address (0-${bits})`);
      }
      const w = address.words;
      const mapped = address.family === 6 && w[0] === 0 && w[1] === 0 && w[2] === 0xffff && block.length >= 96;
      if (address.family === 4 || mapped) {
        const length = mapped ? block.length - 96 : block.length;
        const net = mapped ? w[3]! : w[0]!;
        const mask = prefixMask(length);
        v4Net.push((net & mask) >>> 0);
        v4Mask.push(mask);
        return;
      }
      for (let k = 0; k < 4; k++) {
        const mask = prefixMask(Math.min(32, Math.max(0, block.length - 32 * k)));
        v6Net.push((w[k]! & mask) >>> 0);
        v6Mask.push(mask);
      }
    });
    return new CidrSet(v4Net, v4Mask, v6Net, v6Mask);
  }

  /** Whether any block contains the address (false for an unparsed one). */
  contains(ip: IpAddress): boolean {
    const w = ip.words;
    if (ip.family === 4) {
      const nets = this.#v4Net;
      const masks = this.#v4Mask;
      const a = w[0]!;
      for (let i = 0; i < nets.length; i++) if (((a & masks[i]!) >>> 0) === nets[i]) return true;
      return false;
    }
    if (ip.family !== 6) return false;
    const nets = this.#v6Net;
    const masks = this.#v6Mask;
    for (let i = 0; i < nets.length; i += 4) {
      if (
        ((w[0]! & masks[i]!) >>> 0) === nets[i] &&
        ((w[1]! & masks[i + 1]!) >>> 0) === nets[i + 1] &&
        ((w[2]! & masks[i + 2]!) >>> 0) === nets[i + 2] &&
        ((w[3]! & masks[i + 3]!) >>> 0) === nets[i + 3]
      ) {
        return true;
      }
    }
    return false;
  }
}

/** The mask of a prefix of `length` bits (0-32) of one 32-bit word. */
function prefixMask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}
