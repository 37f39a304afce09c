import * as z from 'zod';
import { defineKind } from '../define-kind.js';

export const node = defineKind({
  group: '',
  kind: 'Node',
  versions: ['v1'],
  namespaced: false,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: z.record(z.string(), z.unknown()).optional(),
  },
});
