import type { ServiceDefinition } from '@grpc/grpc-js';
import { AggregatedDiscoveryService } from '../generated/envoy.service.discovery.v3.js';

/**
 * The ADS method with raw bytes in both directions. Requests are decoded by the stream
 * handler rather than by grpc-js so that a malformed message ends the stream with
 * INVALID_ARGUMENT and a reason (grpc-js would say INTERNAL); responses are assembled
 * from pre-encoded resources (see response-encoder.ts).
 */
export const DELTA_ADS_PATH = AggregatedDiscoveryService.DeltaAggregatedResources.path;

const identity = (bytes: Buffer): Buffer => bytes;

export const adsServiceDefinition: ServiceDefinition = {
  DeltaAggregatedResources: {
    path: DELTA_ADS_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};
