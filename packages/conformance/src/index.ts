export { startRoost, XDEVELOPERS, REPO_ROOT, type Roost, type RoostOptions } from './roost.js';
export { approve, onRoost, readConsentForm } from './consent.js';
export { rewritePlugin, settingsFor } from './tav2.js';
export * from './world.js';
