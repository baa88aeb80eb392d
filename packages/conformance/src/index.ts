export { prepareTemplate, startRoost, XDEVELOPERS, REPO_ROOT, type Credentials, type Roost, type RoostTemplate } from './roost.js';
export { approve, onRoost, readConsentForm } from './consent.js';
export { rewritePlugin, settingsFor } from './tav2.js';
export { runTweepy, tweepyStatus, SYSTEM_PYTHON, type FlowResult } from './tweepy.js';
export { makePng } from './png.js';
export * from './world.js';
export { expectFollowRoundTrip, xdkPagesToEnd } from './client-flows.js';
