import protobuf from 'protobufjs';

/**
 * DeltaDiscoveryResponse bytes assembled from pre-encoded resources. Protobuf lets a
 * message be the concatenation of its fields, so each resource version is encoded once
 * (as field 2, `resources`) and the same bytes go into every stream's response; a
 * response costs only its own header, nonce and removed names on top of them.
 */

// Field numbers of DeltaDiscoveryResponse in proto/envoy/service/discovery/v3/discovery.proto.
const RESOURCES = 2;
const TYPE_URL = 4;
const NONCE = 5;
const REMOVED_RESOURCES = 6;
const LENGTH_DELIMITED = 2;

function tag(field: number): number {
  return (field << 3) | LENGTH_DELIMITED;
}

/** One `Resource` message, framed as field 2 of a DeltaDiscoveryResponse. */
export function frameResource(resourceBytes: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32(tag(RESOURCES)).bytes(resourceBytes).finish();
}

/** Upper bound of what a removed name adds to a response (tag, length, UTF-8 bytes). */
export function removalSize(name: string): number {
  return 1 + 5 + Buffer.byteLength(name);
}

export function encodeResponse(typeUrl: string, nonce: string, resources: readonly Uint8Array[], removed: readonly string[]): Buffer {
  const header = protobuf.Writer.create().uint32(tag(TYPE_URL)).string(typeUrl).uint32(tag(NONCE)).string(nonce);
  for (const name of removed) header.uint32(tag(REMOVED_RESOURCES)).string(name);
  return Buffer.concat([header.finish(), ...resources]);
}
