import type { Operation } from './types.js';
import { getUsersMentions } from './users/getUsersMentions.js';
import { getUsersTimeline } from './users/getUsersTimeline.js';

export const timelineOperations: readonly Operation[] = [getUsersMentions, getUsersTimeline];
