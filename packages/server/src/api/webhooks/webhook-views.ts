/** WebhookConfig as X shows it (FACTS §12.3): id, url, valid, created_at. */
import type { WebhookRow } from '../../data/webhooks.js';
import { iso } from '../../pipeline/present.js';

export const webhookView = (w: WebhookRow) => ({ created_at: iso(w.createdAt), id: w.id, url: w.url, valid: w.valid });

/** Rate limits of webhook management (FACTS §4.2: 450 per 15 minutes per app). */
export const WEBHOOKS_CRUD = { app: 450 } as const;
