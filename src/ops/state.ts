import type { AppContext } from '../context.ts';
import type { CommunityRuntime } from '../community/runtime.ts';
import type { Metrics } from './metrics.ts';
import type { WriteRate } from './write-rate.ts';

// What operations need to know about a running application beyond its context: its background work
// (for readiness and metrics), its metrics, and the address of the metrics port. Kept beside the
// context rather than in it, so features never depend on operations.

export interface OpsState {
  community: CommunityRuntime | null;
  metrics: Metrics | null;
  metricsAddress: { port: number } | null;
  /** The ceiling on the rate of admitted writes (load shedding), once installed. */
  writeRate: WriteRate | null;
  /** Set when SIGTERM (or close()) began: readiness fails so a load balancer stops sending. */
  stopping: boolean;
}

const states = new WeakMap<AppContext, OpsState>();

export function opsState(ctx: AppContext): OpsState {
  let state = states.get(ctx);
  if (!state) states.set(ctx, (state = { community: null, metrics: null, metricsAddress: null, writeRate: null, stopping: false }));
  return state;
}
