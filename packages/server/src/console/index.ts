/** The registry of the Developer Console's API routes (`@roost/sdk/console` places them), listed explicitly. */
import type { AnyConsoleRoute } from './route.js';
import { getSession, signIn, signOut, signUp } from './accounts.js';
import { createApp, deleteApp, getApp, listApps, mintConsoleToken, mintUserToken, regenerateCredential, updateApp } from './apps.js';
import { getUsage, topUp, updateBilling, usageEvents } from './usage.js';
import { listWorldUsers } from './world.js';

export const consoleRouteList: readonly AnyConsoleRoute[] = [
  getSession,
  signUp,
  signIn,
  signOut,
  listApps,
  createApp,
  getApp,
  updateApp,
  deleteApp,
  regenerateCredential,
  mintUserToken,
  mintConsoleToken,
  getUsage,
  usageEvents,
  topUp,
  updateBilling,
  listWorldUsers,
];
