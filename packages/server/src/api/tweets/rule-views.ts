/** The wire forms shared by the rules operations: a rule as listed, and the `sent` time of a summary. */
import type { StreamRuleRow } from '../../data/stream-rules.js';
import type { OperationRequest } from '../operation.js';

export const sent = (req: OperationRequest) => new Date(req.ctx.clock.now()).toISOString();

export const ruleView = (r: Pick<StreamRuleRow, 'id' | 'value' | 'tag'>) => (r.tag === null ? { id: r.id, value: r.value } : { id: r.id, value: r.value, tag: r.tag });
