import * as z from 'zod';
import { defineKind } from '../define-kind.js';

export const secret = defineKind({
  group: '',
  kind: 'Secret',
  versions: ['v1'],
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: z.record(z.string(), z.unknown()).optional(),
  },
});
