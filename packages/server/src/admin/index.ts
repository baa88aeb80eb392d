/** The registry of Roost's own routes (admin/protocol.ts places them), one line each, listed explicitly. */
import type { AnyAdminRoute } from './route.js';
import { getHealth, getInfo } from './health.js';
import { advanceClock, freezeClock, getClock, resumeClock, setClock } from './clock.js';
import { addFault, clearFaults, listFaults, removeFault } from './faults-api.js';
import { clearRequests, listRequests } from './requests.js';
import { createUser } from './users.js';
import { createOAuth1Token, createOAuth2Token } from './tokens.js';
import { getApp, listApps } from './apps.js';
import { reset } from './reset.js';

export const adminRouteList: readonly AnyAdminRoute[] = [
  getHealth,
  getInfo,
  getClock,
  advanceClock,
  setClock,
  freezeClock,
  resumeClock,
  listFaults,
  addFault,
  clearFaults,
  removeFault,
  listRequests,
  clearRequests,
  createUser,
  createOAuth2Token,
  createOAuth1Token,
  listApps,
  getApp,
  reset,
];
