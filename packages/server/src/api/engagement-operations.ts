import type { Operation } from './types.js';

export const engagementOperations: readonly Operation[] = [];
