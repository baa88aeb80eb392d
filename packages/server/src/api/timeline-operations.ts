import type { Operation } from './types.js';

export const timelineOperations: readonly Operation[] = [];
