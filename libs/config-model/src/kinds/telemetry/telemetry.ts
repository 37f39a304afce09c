import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { exclusive, obj, report, warn } from '../../schema/object.js';
import { duration, nonEmpty } from '../../schema/primitives.js';
import { TELEMETRY_VERSIONS, istioStatus, rejectDryRunAnnotation } from '../common/istio.js';
import { checkOneTargetKind, matchLabelsSelector, targetRefFields } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';
import { checkCelSyntax } from './cel-syntax.js';

/** telemetry WorkloadMode: traffic direction relative to the workload. */
export const WORKLOAD_MODES = ['CLIENT_AND_SERVER', 'CLIENT', 'SERVER'] as const;

/** telemetry MetricSelector.IstioMetric: Istio's standard metrics. */
export const ISTIO_METRICS = [
  'ALL_METRICS',
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
] as const;

export const TAG_OPERATIONS = ['UPSERT', 'REMOVE'] as const;

/** A google.protobuf wrapper field: the CRD accepts null, read as unset. */
const wrapped = <T extends z.ZodType>(type: T) =>
  type
    .nullable()
    .optional()
    .transform((v): z.output<T> | undefined => v ?? undefined);

const providerRef = () => obj({ name: nonEmpty({ what: 'provider name' }) });
const workloadSelector = () => obj({ mode: z.enum(WORKLOAD_MODES).optional() });

const customTag = () =>
  obj({
    literal: obj({ value: nonEmpty({ what: 'literal value' }) }).optional(),
    environment: obj({ name: nonEmpty({ what: 'environment variable name' }), defaultValue: z.string().optional() }).optional(),
    header: obj({ name: nonEmpty({ what: 'header name' }), defaultValue: z.string().optional() }).optional(),
    formatter: obj({ value: nonEmpty({ what: 'formatter value' }) }).optional(),
  }).superRefine((tag, ctx) => exclusive(ctx, tag, ['literal', 'environment', 'header', 'formatter']));

const tracing = () =>
  obj({
    match: workloadSelector().optional(),
    providers: z.array(providerRef()).optional(),
    randomSamplingPercentage: wrapped(z.number().min(0).max(100)),
    disableSpanReporting: wrapped(z.boolean()),
    customTags: z
      .record(z.string(), customTag())
      .superRefine((tags, ctx) => {
        if ('' in tags) report(ctx, IssueCode.Value, 'tag name must not be empty', { path: [''] });
      })
      .optional(),
    useRequestIdForTraceSampling: wrapped(z.boolean()),
    enableIstioTags: wrapped(z.boolean()),
    disableContextPropagation: wrapped(z.boolean()),
  }).superRefine((t, ctx) => {
    if ((t.providers ?? []).length > 1) {
      warn(ctx, IssueCode.Value, 'multiple providers is not currently supported', { path: ['providers', 1] });
    }
  });

const tagOverride = () =>
  obj({
    operation: z.enum(TAG_OPERATIONS).optional(),
    value: z.string().optional(),
  }).superRefine((tag, ctx) => {
    // UPSERT is the default operation.
    if ((tag.operation ?? 'UPSERT') === 'UPSERT' && (tag.value ?? '') === '') {
      report(ctx, IssueCode.Required, 'value is required when operation is UPSERT (the default)', {
        path: ['value'],
        hint: 'give a CEL expression such as request.host, or set operation: REMOVE',
      });
    }
    if (tag.operation === 'REMOVE' && tag.value !== undefined) {
      report(ctx, IssueCode.Conflict, 'value must not be set when operation is REMOVE', { path: ['value'] });
    }
  });

const metricSelector = () =>
  obj({
    metric: z.enum(ISTIO_METRICS).optional(),
    customMetric: nonEmpty({ what: 'customMetric' }).optional(),
    mode: z.enum(WORKLOAD_MODES).optional(),
  }).superRefine((match, ctx) => exclusive(ctx, match, ['metric', 'customMetric']));

const metricsOverride = () =>
  obj({
    match: metricSelector().optional(),
    disabled: wrapped(z.boolean()),
    tagOverrides: z
      .record(z.string(), tagOverride())
      .superRefine((tags, ctx) => {
        if ('' in tags) warn(ctx, IssueCode.Value, 'tagOverrides name may not be empty', { path: [''], hint: 'name the metric tag (label) to change' });
      })
      .optional(),
  });

const metrics = () =>
  obj({
    providers: z.array(providerRef()).optional(),
    overrides: z.array(metricsOverride()).optional(),
    reportingInterval: duration().optional(),
  });

const accessLogging = () =>
  obj({
    match: workloadSelector().optional(),
    providers: z.array(providerRef()).optional(),
    disabled: wrapped(z.boolean()),
    filter: obj({ expression: z.string().optional() }).superRefine((filter, ctx) => {
      const expression = filter.expression ?? '';
      if (expression.trim() === '') {
        report(ctx, IssueCode.Required, 'a filter needs a CEL expression', {
          path: filter.expression === undefined ? [] : ['expression'],
          hint: 'e.g. response.code >= 400, or remove the filter',
        });
        return;
      }
      const err = checkCelSyntax(expression);
      if (err !== undefined) report(ctx, IssueCode.Value, `invalid CEL expression: ${err}`, { path: ['expression'] });
    }).optional(),
  });

const telemetrySpec = () =>
  obj({
    selector: matchLabelsSelector().optional(),
    ...targetRefFields(),
    tracing: z
      .array(tracing())
      .superRefine((entries, ctx) => {
        if (entries.length > 1) warn(ctx, IssueCode.Value, 'multiple tracing is not currently supported', { path: [1] });
      })
      .optional(),
    metrics: z.array(metrics()).optional(),
    accessLogging: z.array(accessLogging()).optional(),
  }).superRefine(checkOneTargetKind);

export const telemetry = defineKind({
  group: 'telemetry.istio.io',
  kind: 'Telemetry',
  versions: TELEMETRY_VERSIONS,
  namespaced: true,
  body: {
    spec: telemetrySpec().optional(),
    status: istioStatus(),
  },
  refine: rejectDryRunAnnotation,
});
