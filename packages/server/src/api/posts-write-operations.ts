import type { Operation } from './types.js';

export const postsWriteOperations: readonly Operation[] = [];
