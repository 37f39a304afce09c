import * as z from 'zod';
import { obj } from '../../../schema/object.js';
import { ipOrCidr, labelMap } from '../../../schema/primitives.js';
import { gatewayNames, matchPort } from './http-match.js';
import { l4RouteDestinations } from './route-destination.js';

/** networking TLSMatchAttributes. SNI hosts are checked against the VirtualService's hosts in its refine. */
export const tlsMatchAttributes = () =>
  obj({
    sniHosts: z.array(z.string()).min(1),
    destinationSubnets: z.array(ipOrCidr()).optional(),
    port: matchPort().optional(),
    sourceLabels: labelMap().optional(),
    gateways: gatewayNames().optional(),
    sourceNamespace: z.string().optional(),
  });

/** networking TLSRoute: routes unterminated TLS by SNI. */
export const tlsRoute = () =>
  obj({
    match: z.array(tlsMatchAttributes()).min(1),
    route: l4RouteDestinations(),
  });

/** networking L4MatchAttributes. */
export const l4MatchAttributes = () =>
  obj({
    destinationSubnets: z.array(ipOrCidr()).optional(),
    port: matchPort().optional(),
    sourceLabels: labelMap().optional(),
    gateways: gatewayNames().optional(),
    sourceNamespace: z.string().optional(),
    /** Deprecated and hidden from Istio's docs; accepted, never acted on. */
    sourceSubnet: z.string().optional(),
  });

/** networking TCPRoute. */
export const tcpRoute = () =>
  obj({
    match: z.array(l4MatchAttributes()).optional(),
    route: l4RouteDestinations(),
  });
