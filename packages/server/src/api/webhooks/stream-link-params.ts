/**
 * What a filtered-stream webhook link takes: the query parameters of GET /2/tweets/search/stream that choose fields
 * and expansions (X: "query parameters identical to those used in the streaming endpoint"). The spec lists none
 * for the link, so they are declared from the stream's own descriptor.
 */
import { operation as describe, type ParamDescriptor } from '@roost/contract';

const SELECTION = /^(tweet|post|user|media|poll|place)\.fields$|^expansions$/;

export const STREAM_LINK_PARAMS: readonly ParamDescriptor[] = describe('streamPosts').params.filter((p) => SELECTION.test(p.name));

/** The selection parameters as given, lists joined back with commas (stored with the link, shown as `fields`). */
export function linkParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of STREAM_LINK_PARAMS) {
    const v = params[p.name];
    if (v !== undefined) out[p.name] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}
