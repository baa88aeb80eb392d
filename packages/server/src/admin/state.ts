/**
 * What the admin API controls in one server: its clock, fault rules, request log, and the reset back to the
 * snapshot taken at start. Exists only when ROOST_ADMIN_TOKEN is set; a reset builds a new one (empty log, no
 * faults, the clock at its start).
 */
import type { Clock } from '../clock.js';
import { ControlledClock } from '../clock.js';
import { Faults } from './faults.js';
import type { ResetJson } from './protocol.js';
import { RequestLog } from './request-log.js';

export interface AdminState {
  readonly token: string;
  /** The server's clock when it can be moved (always, unless a test passed its own clock). */
  readonly clock: ControlledClock | null;
  readonly faults: Faults;
  readonly requests: RequestLog;
  /** Back to the start snapshot (ROOST_RESETTABLE); null when this server has none. */
  readonly reset: (() => Promise<ResetJson>) | null;
}

export function createAdminState(token: string, clock: Clock, reset: (() => Promise<ResetJson>) | null): AdminState {
  return {
    token,
    clock: clock instanceof ControlledClock ? clock : null,
    faults: new Faults(),
    requests: new RequestLog(),
    reset,
  };
}
