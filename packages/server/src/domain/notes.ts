/**
 * Community Notes, the write side of the AI Note Writer API: writing a note (in test mode, or on the product once
 * admitted), deleting one, and the note evaluator. Who may do what follows X's documented rules
 * (pipeline/rules.ts: eligibility, admission, writing limits, high performers); the evaluator scores a note
 * as X's open-source one does, on what Roost can know without the network:
 *
 * - UrlValidity: `high` when every URL in the note is a well-formed http(s) URL on a named host and every link to a
 *   post on X names a post that exists; `low` otherwise (X checks HTTP status codes; Roost cannot reach the web).
 * - HarassmentAbuse: `low` with an insult, `medium` when shouting (mostly capitals, or `!!`), else `high`.
 * - ClaimOpinion: a score in [0, 1] — how many of the post's content words the note addresses (up to four),
 *   less 0.25 for each mark of opinion or speculation ("I think", "probably", …); `high` from 0.5, `medium` from
 *   0.25.
 */
import type { Repos } from '../data/index.js';
import type { Bucket, NoteEvaluation, NoteRow } from '../data/notes.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { admittedWriter, ADMISSION_WINDOW, dailyWritingLimit, eligibleForNotes, highPerformingWriter, noteStatus } from '../pipeline/rules.js';
import { searchTokens, STOPWORDS } from '../query/tokens.js';
import { targetPost } from './engagement.js';
import { write, type DomainContext, type Refusal } from './write.js';

const URL_IN_TEXT = /https?:\/\/\S+/gi;
const X_HOSTS = new Set(['x.com', 'twitter.com', 'www.x.com', 'www.twitter.com', 'mobile.x.com', 'mobile.twitter.com']);
const INSULTS = new Set(['idiot', 'idiots', 'stupid', 'moron', 'morons', 'dumb', 'liar', 'liars', 'clown', 'clowns', 'loser', 'losers', 'pathetic', 'scum', 'trash', 'imbecile']);
const OPINION = [/\bi think\b/, /\bi believe\b/, /\bi feel\b/, /\bin my opinion\b/, /\bimo\b/, /\bprobably\b/, /\bmaybe\b/, /\bperhaps\b/, /\bseems?\b/, /\bobviously\b/, /\beveryone knows\b/, /\bclearly\b/];

/** The URLs of a note, trailing punctuation left out. */
const urlsOf = (text: string): string[] => (text.match(URL_IN_TEXT) ?? []).map((u) => u.replace(/[.,;:!?)\]}'"]+$/, ''));

/** Content words: search tokens that are no stopwords, numbers of one digit or words under four letters. */
function contentWords(text: string): Set<string> {
  return new Set(searchTokens(text.replace(URL_IN_TEXT, ' ')).filter((t) => t.length >= 4 && !STOPWORDS.has(t)));
}

export function claimOpinionScore(noteText: string, postText: string): number {
  const post = contentWords(postText);
  const note = contentWords(noteText);
  let shared = 0;
  for (const w of post) if (note.has(w)) shared++;
  const coverage = post.size ? Math.min(1, shared / Math.min(4, post.size)) : 0;
  const lower = noteText.toLowerCase();
  const opinions = OPINION.filter((re) => re.test(lower)).length;
  return Math.round(Math.max(0, Math.min(1, coverage - 0.25 * opinions)) * 1000) / 1000;
}

const bucketOf = (score: number): Bucket => (score >= 0.5 ? 'high' : score >= 0.25 ? 'medium' : 'low');

function harassmentAbuse(text: string): Bucket {
  const words = text.toLowerCase().split(/[^\p{L}]+/u);
  if (words.some((w) => INSULTS.has(w))) return 'low';
  const letters = text.replace(URL_IN_TEXT, '').replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  if (/!!/.test(text) || (letters.length >= 20 && upper / letters.length >= 0.6)) return 'medium';
  return 'high';
}

async function urlValidity(repos: Repos, text: string): Promise<Bucket> {
  const urls = urlsOf(text);
  if (!urls.length) return 'low';
  const statusIds: string[] = [];
  for (const raw of urls) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return 'low';
    }
    if (!/^https?:$/.test(u.protocol) || !/^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(u.hostname)) return 'low';
    if (X_HOSTS.has(u.hostname.toLowerCase())) {
      const m = /\/status(?:es)?\/(\d{1,19})(?:\/|$)/.exec(u.pathname);
      if (m) statusIds.push(m[1]!);
    }
  }
  if (!statusIds.length) return 'high';
  const found = await repos.posts.byIds(statusIds);
  return statusIds.every((id) => found.get(id) && !found.get(id)!.deleted) ? 'high' : 'low';
}

/** The evaluator's verdict on a note for a post (the post's full text when it is a long post). */
export async function evaluateNoteText(repos: Repos, noteText: string, postText: string): Promise<NoteEvaluation> {
  const score = claimOpinionScore(noteText, postText);
  return { urlValidity: await urlValidity(repos, noteText), harassmentAbuse: harassmentAbuse(noteText), claimOpinion: bucketOf(score), claimOpinionScore: score };
}

/** POST /2/notes/evaluate: the claim-opinion score of a draft, for a post the writer can see. */
export async function evaluateDraft(ctx: Pick<DomainContext, 'repos'>, me: string, postId: string, noteText: string): Promise<number | Refusal> {
  const target = await targetPost(ctx.repos, me, postId);
  if ('refused' in target) return target;
  return claimOpinionScore(noteText, target.post.noteText ?? target.post.text);
}

/** X's answer when test_mode=false comes from a writer not admitted (the docs' invalid-request body). */
export const testModeInvalid = (value: boolean) => InvalidRequest.one('test_mode', [String(value)], 'The `test_mode` query parameter is invalid.');

/** Whether the writer may act on the product (test_mode=false): admitted by their recent test notes. */
export async function requireMode(repos: Repos, me: string, testMode: boolean): Promise<void> {
  if (testMode) return;
  if (!admittedWriter(await repos.notes.newest(me, true, ADMISSION_WINDOW))) throw testModeInvalid(testMode);
}

/** The statuses of the writer's product notes, newest first (what the writing limits and feed sizes read). */
export async function productStatuses(repos: Repos, me: string, limit = 100): Promise<('needs_more_ratings' | undefined)[]> {
  return (await repos.notes.newest(me, false, limit)).map(noteStatus);
}

/** A note as its writer sends it: the stored row without what Roost adds (id, author, time, the evaluation). */
export type NewNote = Omit<NoteRow, 'id' | 'authorId' | 'createdAt' | keyof NoteEvaluation>;

const DAY = 24 * 3_600_000;
/** A note's length: 1 to 280 characters, each URL counting as one. */
const noteLength = (text: string) => [...text.replace(URL_IN_TEXT, 'u')].length;

/**
 * Writes a note. Refusals (200 with `errors`) for a post the writer cannot see; X's 400s for a post that is not
 * eligible, a second note on a post, a bad length or a misleading note without tags; test_mode=false only for
 * admitted writers and within the daily writing limit; media notes only from high-performing writers.
 */
export async function createNote(ctx: DomainContext, me: string, n: NewNote): Promise<NoteRow | Refusal> {
  const target = await targetPost(ctx.repos, me, n.postId);
  if ('refused' in target) return target;
  await requireMode(ctx.repos, me, n.testMode);
  const len = noteLength(n.text);
  if (len < 1 || len > 280) throw InvalidRequest.one('text', [n.text], `The note text has ${len} characters (URLs count as one); it must have 1 to 280.`);
  if (n.classification === 'misinformed_or_potentially_misleading' && !n.misleadingTags.length) {
    throw InvalidRequest.one('misleading_tags', [], 'A note on a misleading post needs at least one misleading tag.');
  }
  if (n.isMediaNote && !highPerformingWriter(await productStatuses(ctx.repos, me))) {
    throw new Forbidden(`User: [${me}] must be a high-performing AI Note Writer to write media notes.`);
  }
  const requested = (await ctx.repos.notes.requestedPosts()).find((p) => p.postId === n.postId);
  if (!requested || !eligibleForNotes(requested)) throw InvalidRequest.one('post_id', [n.postId], `The post [${n.postId}] is not eligible for Community Notes.`);
  const now = ctx.clock.now();
  if (!n.testMode) {
    const recent = await ctx.repos.notes.newest(me, false, 1_000);
    const limit = dailyWritingLimit(recent.map(noteStatus), recent.filter((x) => x.createdAt > now - 30 * DAY).length / 30);
    if (recent.filter((x) => x.createdAt > now - DAY).length >= limit) throw new Forbidden(`User: [${me}] has reached the daily limit of ${limit} notes.`);
  }
  const evaluation = await evaluateNoteText(ctx.repos, n.text, target.post.noteText ?? target.post.text);
  return write(ctx, async (r) => {
    const existing = await r.notes.byAuthorAndPost(me, n.postId);
    if (existing) throw InvalidRequest.one('post_id', [n.postId], `User already created a note: [${existing.id}] for this post.`);
    const row: NoteRow = { id: ctx.ids.next(), authorId: me, createdAt: now, ...n, ...evaluation };
    await r.notes.insert(row);
    return row;
  });
}

/**
 * Someone asks for a note on a post (X has no API for it; the CLI and the seed make requests), optionally naming
 * another post as a source. One request per person and post: asking again changes nothing. Returns how many
 * people have asked.
 */
export async function requestNote(ctx: DomainContext, userId: string, postId: string, sourcePostId: string | null): Promise<number | Refusal> {
  const target = await targetPost(ctx.repos, userId, postId);
  if ('refused' in target) return target;
  if (sourcePostId !== null) {
    const source = await targetPost(ctx.repos, userId, sourcePostId);
    if ('refused' in source) return source;
  }
  const at = ctx.clock.now();
  return write(ctx, async (r) => {
    await r.notes.addRequest({ postId, userId, at, sourcePostId });
    return r.notes.requestCount(postId);
  });
}

/** Deletes the writer's own note: false when there is no such note; 403 when it is someone else's. */
export async function deleteNote(ctx: DomainContext, me: string, id: string): Promise<boolean> {
  return write(ctx, async (r) => {
    const note = (await r.notes.byIds([id])).get(id);
    if (!note) return false;
    if (note.authorId !== me) throw new Forbidden('You are not permitted to delete this note.');
    return r.notes.delete(id);
  });
}
