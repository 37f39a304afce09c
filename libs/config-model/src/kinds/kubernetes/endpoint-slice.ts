import * as z from 'zod';
import { defineKind } from '../define-kind.js';

export const endpointSlice = defineKind({
  group: 'discovery.k8s.io',
  kind: 'EndpointSlice',
  versions: ['v1'],
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: z.record(z.string(), z.unknown()).optional(),
  },
});
