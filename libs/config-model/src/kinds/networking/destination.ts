import * as z from 'zod';
import { obj } from '../../schema/object.js';
import { wildcardHost } from '../../schema/primitives.js';
import { portSelector } from '../common/istio.js';

/**
 * networking Destination: a service (host, optional subset and port). Shared by
 * VirtualService routes and mirrors and Sidecar's egress proxy.
 */
export const destination = () =>
  obj({
    host: wildcardHost(),
    subset: z.string().optional(),
    port: portSelector().optional(),
  });
