import { IssueCode } from '../../issues.js';
import { report } from '../../schema/object.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { endpointAddressKind, workloadEntrySpec } from './workload-entry/workload-entry-spec.js';

export const workloadEntry = defineKind({
  group: 'networking.istio.io',
  kind: 'WorkloadEntry',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: workloadEntrySpec().superRefine((we, ctx) => {
      // A standalone WorkloadEntry may be selected by DNS or STATIC services, so both
      // IP addresses and hostnames are accepted.
      if (endpointAddressKind(we.address) === 'invalid') {
        report(ctx, IssueCode.Value, `address "${we.address ?? ''}" is not an IP address, a hostname or a unix:// socket`, { path: ['address'] });
      }
    }),
    status: istioStatus(),
  },
});
