import * as z from 'zod';
import { defineKind } from '../define-kind.js';

export const service = defineKind({
  group: '',
  kind: 'Service',
  versions: ['v1'],
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: z.record(z.string(), z.unknown()).optional(),
  },
});
