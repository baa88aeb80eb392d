// Entry of the composing worker (seed/compose-worker.ts). A worker thread does not run the main thread's module
// loader, so it registers tsx itself (as bin/roost.js does) before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./compose-worker.ts');
