import type { MessageInit } from './codec.js';
import type { Struct, Value } from '../generated/google.protobuf.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** A JSON object as `google.protobuf.Struct`, e.g. a proxy's node metadata. */
export function toStruct(json: JsonObject): MessageInit<Struct> {
  return { fields: Object.fromEntries(Object.entries(json).map(([key, value]) => [key, toValue(value)])) };
}

function toValue(value: JsonValue): MessageInit<Value> {
  if (value === null) return { kind: 'nullValue', nullValue: 0 };
  if (typeof value === 'boolean') return { kind: 'boolValue', boolValue: value };
  if (typeof value === 'number') return { kind: 'numberValue', numberValue: value };
  if (typeof value === 'string') return { kind: 'stringValue', stringValue: value };
  if (isArray(value)) return { kind: 'listValue', listValue: { values: value.map(toValue) } };
  return { kind: 'structValue', structValue: toStruct(value) };
}

/** A decoded `google.protobuf.Struct` as plain JSON (`{}` when absent). */
export function fromStruct(struct: Struct | null): JsonObject {
  if (struct === null) return {};
  return Object.fromEntries(Object.entries(struct.fields).map(([key, value]) => [key, fromValue(value)]));
}

function fromValue(value: Value): JsonValue {
  switch (value.kind) {
    case 'boolValue':
      return value.boolValue;
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'listValue':
      return value.listValue.values.map(fromValue);
    case 'structValue':
      return fromStruct(value.structValue);
    default:
      // nullValue, or no kind set (which proto3 JSON also reads as null).
      return null;
  }
}

// Array.isArray does not narrow readonly arrays.
function isArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
