import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { exclusive, obj, report } from '../../schema/object.js';
import { checkedString, duration, nonEmpty } from '../../schema/primitives.js';
import { SECURITY_VERSIONS, istioStatus, rejectDryRunAnnotation } from '../common/istio.js';
import { checkOneTargetKind, matchLabelsSelector, targetRefFields } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';
import { checkJwks, checkJwksUri, checkStrictHeaderName } from './jwt-rules.js';

/** Istio's CRD limits. */
export const MAX_JWT_RULES = 4096;
export const MAX_SPACE_DELIMITED_CLAIMS = 64;

const jwtHeader = () =>
  obj({
    name: nonEmpty({ what: 'header name' }),
    prefix: z.string().optional(),
  });

const claimToHeader = () =>
  obj({
    header: checkedString(checkStrictHeaderName),
    claim: nonEmpty({ what: 'claim' }),
  });

/**
 * security JWTRule. `jwks_uri` (the proto field name, which Istio's CRD also
 * accepts) is folded into `jwksUri` in the output.
 */
const jwtRule = () =>
  obj({
    issuer: nonEmpty({ what: 'issuer' }).optional(),
    audiences: z.array(nonEmpty({ what: 'audience' })).optional(),
    jwksUri: checkedString(checkJwksUri).optional(),
    jwks_uri: checkedString(checkJwksUri).optional(),
    jwks: checkedString(checkJwks, 'paste the JSON Web Key Set, e.g. {"keys": [{"kty": "RSA", ...}]}').optional(),
    fromHeaders: z.array(jwtHeader()).optional(),
    fromParams: z.array(nonEmpty({ what: 'query parameter name' })).optional(),
    fromCookies: z.array(nonEmpty({ what: 'cookie name' })).optional(),
    outputPayloadToHeader: z.string().optional(),
    forwardOriginalToken: z.boolean().optional(),
    outputClaimToHeaders: z.array(claimToHeader()).optional(),
    spaceDelimitedClaims: z.array(nonEmpty({ what: 'claim name' })).max(MAX_SPACE_DELIMITED_CLAIMS).optional(),
    timeout: duration().optional(),
  })
    .superRefine((rule, ctx) => {
      exclusive(ctx, rule, ['jwksUri', 'jwks_uri', 'jwks']);
      if (rule.issuer === undefined && (rule.jwksUri ?? rule.jwks_uri) === undefined) {
        report(ctx, IssueCode.Required, 'issuer is required unless jwksUri is set', { path: ['issuer'] });
      }
    })
    .transform(({ jwks_uri, ...rule }) => ({ ...rule, jwksUri: rule.jwksUri ?? jwks_uri }));

const requestAuthenticationSpec = () =>
  obj({
    selector: matchLabelsSelector().optional(),
    ...targetRefFields(),
    jwtRules: z.array(jwtRule()).max(MAX_JWT_RULES).optional(),
  }).superRefine(checkOneTargetKind);

export const requestAuthentication = defineKind({
  group: 'security.istio.io',
  kind: 'RequestAuthentication',
  versions: SECURITY_VERSIONS,
  namespaced: true,
  body: {
    spec: requestAuthenticationSpec().optional(),
    status: istioStatus(),
  },
  refine: rejectDryRunAnnotation,
});
