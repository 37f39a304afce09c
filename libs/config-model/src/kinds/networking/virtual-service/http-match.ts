import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { isIstioDnsLabel } from '../../../schema/names.js';
import { obj, report, warn } from '../../../schema/object.js';
import { labelMap, port } from '../../../schema/primitives.js';
import { checkMatchHeaderName } from './headers.js';
import { checkGatewayName } from './names.js';
import { stringMatch } from './string-match.js';

/**
 * Gateway references in a match or route (`<namespace>/<name>`, `mesh`, …). Istio warns
 * about the legacy `<name>.<namespace>` form.
 */
export function gatewayNames() {
  return z.array(z.string()).superRefine((names, ctx) => {
    names.forEach((name, i) => {
      const err = checkGatewayName(name);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [i] });
      else if (!name.includes('/') && name.includes('.')) {
        const [gateway, namespace] = name.split('.');
        warn(ctx, IssueCode.Value, `using legacy gatewayName format "${name}"; prefer the <namespace>/<name> format: "${namespace}/${gateway}"`, { path: [i] });
      }
    });
  });
}

function headerMatches(options: { regexStar: boolean }) {
  return z.record(z.string(), stringMatch({ regexStar: options.regexStar })).superRefine((map, ctx) => {
    for (const name of Object.keys(map)) {
      const err = checkMatchHeaderName(name);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [name] });
    }
  });
}

/** A namespace name as Istio checks `sourceNamespace`. */
export const sourceNamespace = () =>
  z.string().superRefine((value, ctx) => {
    if (!isIstioDnsLabel(value)) report(ctx, IssueCode.Value, `sourceNamespace "${value}" is not a valid namespace name`);
  });

/** A port to match on (1-65535). */
export const matchPort = () => port();

/** networking HTTPMatchRequest. */
export const httpMatchRequest = () =>
  obj({
    name: z.string().optional(),
    uri: stringMatch({ emptyPrefix: true }).optional(),
    scheme: stringMatch().optional(),
    method: stringMatch().optional(),
    authority: stringMatch().optional(),
    headers: headerMatches({ regexStar: false }).optional(),
    port: matchPort().optional(),
    sourceLabels: labelMap().optional(),
    gateways: gatewayNames().optional(),
    queryParams: z.record(z.string(), stringMatch()).optional(),
    ignoreUriCase: z.boolean().optional(),
    withoutHeaders: headerMatches({ regexStar: true }).optional(),
    sourceNamespace: sourceNamespace().optional(),
    statPrefix: z.string().optional(),
  });

export type HttpMatchRequestOutput = z.output<ReturnType<typeof httpMatchRequest>>;
