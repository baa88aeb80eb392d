export { prepareTemplate, startRoost, XDEVELOPERS, REPO_ROOT, type Credentials, type Roost, type RoostTemplate } from './roost.js';
export { approve, readConsentForm } from './consent.js';
export { runTweepy, tweepyStatus, SYSTEM_PYTHON, type FlowResult } from './tweepy.js';
export { makePng } from './png.js';
export * from './world.js';
export { expectFollowRoundTrip, xdkPagesToEnd } from './client-flows.js';
export { parseExports, TLS_DIR, WORKER_ENV } from './zero-change.js';
export { roostPerFile } from './roost-per-file.js';
