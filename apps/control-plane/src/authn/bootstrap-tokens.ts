import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isBearerToken, MAX_BEARER_TOKEN_LENGTH } from '@ambit/xds';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { StageClosedError, type Runner } from '../runner.js';
import type { Caller, CallerAuthenticator } from './caller.js';
import { NodeTokensFileError, UnauthenticatedCallerError } from './errors.js';

/** Shorter tokens are refused in the file: guessable. `generateNodeToken` makes 43 characters (256 bits). */
export const MIN_NODE_TOKEN_LENGTH = 32;
/** A node tokens file is a few lines per node; a larger one is refused unread. */
const MAX_FILE_BYTES = 1024 * 1024;
// Kubernetes node names are DNS-1123 subdomains.
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const FIELDS = ['node', 'token', 'expires'];

/** One entry of the file, its token kept only as a SHA-256 digest. */
export interface NodeToken {
  readonly node: string;
  readonly digest: Buffer;
  /** After this instant the token is refused; undefined: never. */
  readonly expires: Date | undefined;
}

/**
 * A token for `ambitctl local up` (or anyone) to write into the node tokens file: 32
 * random bytes, base64url (43 characters).
 */
export function generateNodeToken(): string {
  return randomBytes(32).toString('base64url');
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Parses a node tokens file: a YAML list of `{ node, token, expires? }`. A node may have
 * several tokens (to rotate them); a token may belong to one node only. Throws
 * NodeTokensFileError at the first problem, with its line and column; messages never
 * quote a token.
 */
export function parseNodeTokens(text: string, file: string): NodeToken[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const at = (node: Node | null | undefined): { line: number; column: number } | undefined => (node?.range === undefined || node.range === null ? undefined : position(node.range[0]));
  const [error] = document.errors;
  if (error !== undefined) throw new NodeTokensFileError(file, position(error.pos[0]), `not valid YAML: ${error.message.split('\n')[0]}`);
  const root = document.contents;
  if (root === null) return [];
  if (!isSeq(root)) throw new NodeTokensFileError(file, at(root), 'expected a list of entries "- node: …, token: …"');

  const tokens: NodeToken[] = [];
  const seen = new Map<string, number>();
  root.items.forEach((item, index) => {
    const path = `[${index}]`;
    if (!isMap(item)) throw new NodeTokensFileError(file, at(item as Node), `${path}: expected an entry with node and token`);
    const fields = new Map<string, Node>();
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !FIELDS.includes(key)) {
        throw new NodeTokensFileError(file, at(pair.key as Node), `${path}: unknown field ${JSON.stringify(key ?? '?')} (expected ${FIELDS.join(', ')})`);
      }
      fields.set(key, pair.value as Node);
    }
    const text = (name: string, required: boolean): { value: string; node: Node } | undefined => {
      const node = fields.get(name);
      if (node === undefined) {
        if (required) throw new NodeTokensFileError(file, at(item), `${path}.${name} is missing`);
        return undefined;
      }
      if (!isScalar(node) || (typeof node.value !== 'string' && !(node.value instanceof Date))) {
        throw new NodeTokensFileError(file, at(node), `${path}.${name} must be a string`);
      }
      return { value: node.value instanceof Date ? node.value.toISOString() : node.value, node };
    };
    const node = text('node', true)!;
    if (!NODE_NAME.test(node.value) || node.value.length > 253) {
      throw new NodeTokensFileError(file, at(node.node), `${path}.node ${JSON.stringify(node.value.slice(0, 253))} is not a node name (lower-case letters, digits, "-" and ".")`);
    }
    const token = text('token', true)!;
    if (token.value.length < MIN_NODE_TOKEN_LENGTH || !isBearerToken(token.value)) {
      throw new NodeTokensFileError(
        file,
        at(token.node),
        `${path}.token must be ${MIN_NODE_TOKEN_LENGTH} to ${MAX_BEARER_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (and trailing =); this one has ${token.value.length}`,
      );
    }
    const digest = digestOf(token.value);
    const key = digest.toString('hex');
    const first = seen.get(key);
    if (first !== undefined) throw new NodeTokensFileError(file, at(token.node), `${path}.token is the same as entry [${first}]'s: a token proves one node`);
    seen.set(key, index);
    const expires = text('expires', false);
    const expiry = expires === undefined ? undefined : new Date(expires.value);
    if (expiry !== undefined && (Number.isNaN(expiry.getTime()) || !/^\d{4}-\d\d-\d\d[Tt ]/.test(expires!.value))) {
      throw new NodeTokensFileError(file, at(expires!.node), `${path}.expires ${JSON.stringify(expires!.value.slice(0, 64))} is not an RFC 3339 time such as 2030-01-01T00:00:00Z`);
    }
    tokens.push({ node: node.value, digest, expires: expiry });
  });
  return tokens;
}

/**
 * Local mode's node authentication: the tokens of the `--node-tokens` file, read at
 * start (a missing, unreadable or invalid file fails start-up). A token is matched by
 * comparing its SHA-256 digest with every entry's in constant time, so neither the
 * comparison nor where the match is leaks anything about the tokens held.
 */
export class BootstrapTokens implements CallerAuthenticator, Runner {
  readonly name = 'node-tokens';
  readonly file: string;
  readonly #now: () => Date;
  #tokens: readonly NodeToken[] | undefined;
  #closed = false;

  constructor(file: string, options: { readonly now?: () => Date } = {}) {
    this.file = file;
    this.#now = options.now ?? (() => new Date());
  }

  /** How many tokens the file holds (for the start-up log line); 0 before start. */
  get size(): number {
    return this.#tokens?.length ?? 0;
  }

  async start(): Promise<void> {
    if (this.#closed) throw new StageClosedError(this.name);
    let text: string;
    try {
      const bytes = await readFile(this.file);
      if (bytes.byteLength > MAX_FILE_BYTES) throw new Error(`it is larger than ${MAX_FILE_BYTES} bytes`);
      text = bytes.toString('utf8');
    } catch (error) {
      throw new NodeTokensFileError(this.file, undefined, `cannot be read: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    this.#tokens = parseNodeTokens(text, this.file);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  authenticate(token: string, signal: AbortSignal): Promise<Caller> {
    if (signal.aborted) return Promise.reject(new UnauthenticatedCallerError('the call ended before its token was checked'));
    const digest = digestOf(token);
    let match: NodeToken | undefined;
    // Every entry is compared, match or not: the time taken does not depend on which one matches.
    for (const entry of this.#tokens ?? []) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry;
    }
    if (match === undefined) return Promise.reject(new UnauthenticatedCallerError('the bearer token is not a node token of this control plane'));
    if (match.expires !== undefined && match.expires.getTime() <= this.#now().getTime()) {
      return Promise.reject(new UnauthenticatedCallerError(`the bearer token of node ${match.node} expired at ${match.expires.toISOString()}`));
    }
    return Promise.resolve({ kind: 'node', node: match.node, proof: 'bootstrap-token' });
  }
}
