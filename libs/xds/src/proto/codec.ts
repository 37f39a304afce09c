import protobuf from 'protobufjs';
import { DESCRIPTOR } from '../generated/descriptor.js';
import { MalformedMessageError, MessageEncodeError } from '../errors.js';

/**
 * What a codec accepts for encoding: the decoded shape with every field optional, as
 * proto3 leaves unset fields at their defaults. Oneofs keep their discriminated unions.
 */
export type MessageInit<T> = T extends Uint8Array
  ? Uint8Array
  : T extends readonly (infer E)[]
    ? readonly MessageInit<E>[]
    : T extends object
      ? { readonly [K in keyof T]?: MessageInit<T[K]> }
      : T;

/**
 * Encoder and decoder of one message type. `decode` returns a plain object with every
 * field present (proto3 defaults filled in, unset messages `null`, 64-bit integers as
 * numbers, bytes as Buffers, a oneof's set member named by the oneof's property).
 */
export interface MessageCodec<T> {
  /** e.g. `ambit.workload.v1.Address`. */
  readonly typeName: string;
  /** `type.googleapis.com/<typeName>`, as carried in `google.protobuf.Any` and xDS. */
  readonly typeUrl: string;
  encode(message: MessageInit<T>): Uint8Array;
  /** Throws `MalformedMessageError` for bytes that are not a valid encoding. */
  decode(bytes: Uint8Array): T;
}

/** One RPC of a generated service table. */
export interface MethodDescriptor<Request, Response> {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly request: MessageCodec<Request>;
  readonly response: MessageCodec<Response>;
}

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, defaults: true, arrays: true, objects: true, oneofs: true };

// One root for every codec, built from the generated descriptor on first use.
let root: protobuf.Root | undefined;

function lookup(typeName: string): protobuf.Type {
  root ??= protobuf.Root.fromJSON(DESCRIPTOR);
  return root.lookupType(typeName);
}

/** The codec of `typeName`; generated modules create one per message. */
export function messageCodec<T>(typeName: string): MessageCodec<T> {
  let type: protobuf.Type | undefined;
  const resolved = (): protobuf.Type => (type ??= lookup(typeName));
  return {
    typeName,
    typeUrl: TYPE_URL_PREFIX + typeName,
    encode(message) {
      const messageType = resolved();
      // protobufjs encodes whatever it is given; a value of the wrong type would become
      // wrong bytes on the wire instead of an error here.
      const problem = messageType.verify(message as Record<string, unknown>);
      if (problem !== null) throw new MessageEncodeError(typeName, problem);
      try {
        return messageType.encode(message as Record<string, unknown>).finish();
      } catch (cause) {
        throw new MessageEncodeError(typeName, cause);
      }
    },
    decode(bytes) {
      const messageType = resolved();
      let decoded: protobuf.Message;
      try {
        decoded = messageType.decode(bytes);
      } catch (cause) {
        throw new MalformedMessageError(typeName, bytes.byteLength, cause);
      }
      return messageType.toObject(decoded, TO_OBJECT) as T;
    },
  };
}
