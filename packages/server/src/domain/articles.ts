/**
 * Articles: a draft (title and Draft.js-style content: blocks, entity and style ranges, entities), then publishing
 * it, which creates a real post through the posting domain — counted, indexed for search, streamed — carrying the
 * article (`article` of `tweet.fields`; its cover and images expand into `includes.media`). The post's text is the
 * article's link. Drafts are their author's alone (rules' `ownerOnlyVerdict`); an article is published once (409
 * after that, also for a publish racing another: the draft's row decides within the post's transaction).
 */
import type { RequestBodies } from '@roost/contract';
import type { ArticleRow } from '../data/articles.js';
import type { PostArticle } from '../data/rows.js';
import { conflict, InvalidRequest } from '../errors.js';
import { ownerOnlyVerdict } from '../pipeline/rules.js';
import { publicMediaKeys } from './media.js';
import { createPost, type PostingContext } from './posting.js';
import { refuse, write, type Refusal } from './write.js';

export type ArticleDraft = RequestBodies['articleCreateDraft'];
type ContentState = ArticleDraft['content_state'];

/** The link a published article's post carries (X's article URLs). */
export const articleUrl = (id: string) => `https://x.com/i/article/${id}`;

/** How much of the text `preview_text` shows. */
export const PREVIEW_CHARS = 200;

const invalid = (param: string, value: string, message: string) => InvalidRequest.one(param, [value], message);

/** Every range of a block lies within its text, and every entity range names an entity of the content. */
function checkContent(c: ContentState): void {
  const keys = new Set(c.entities.map((e) => e.key));
  c.blocks.forEach((block, i) => {
    const at = `content_state.blocks[${i}]`;
    const length = block.text.length;
    const outside = (param: string, from: number, to: number) => {
      if (from > to || to > length) throw invalid(param, `${from}-${to}`, `The range [${from}, ${to}) of \`${param}\` is outside the block's text (${length} characters).`);
    };
    for (const r of block.entity_ranges ?? []) {
      if (!keys.has(String(r.key))) throw invalid(`${at}.entity_ranges`, String(r.key), `The entity key [${r.key}] of \`${at}.entity_ranges\` is not among \`content_state.entities\`.`);
      outside(`${at}.entity_ranges`, r.offset, r.offset + r.length);
    }
    for (const r of block.inline_style_ranges ?? []) outside(`${at}.inline_style_ranges`, r.offset, r.offset + r.length);
    for (const kind of ['hashtags', 'cashtags', 'mentions', 'urls'] as const) {
      for (const e of block.data?.[kind] ?? []) outside(`${at}.data.${kind}`, e.from_index, e.to_index);
    }
  });
}

/** The article's text: its blocks' text, one line each (atomic blocks hold media, not text). */
function plainText(c: ContentState): string {
  return c.blocks
    .filter((b) => b.type !== 'atomic')
    .map((b) => b.text)
    .join('\n');
}

/** Saves a draft of `me`'s. Its cover and images must be media `me` may show publicly. */
export async function createDraft(ctx: PostingContext, me: string, b: ArticleDraft): Promise<ArticleRow> {
  if (b.title.trim() === '') throw invalid('title', b.title, 'The `title` of an article cannot be blank.');
  checkContent(b.content_state);
  const cover = b.cover_media ? (await publicMediaKeys(ctx, me, [b.cover_media.media_id], 'cover_media.media_id'))[0]! : null;
  const itemIds = b.content_state.entities.flatMap((e) => (e.value.data.media_items ?? []).map((m) => m.media_id));
  const mediaKeys = itemIds.length ? await publicMediaKeys(ctx, me, itemIds, 'content_state.entities.value.data.media_items.media_id') : [];
  const now = ctx.clock.now();
  const row: ArticleRow = { id: ctx.ids.next(), authorId: me, title: b.title, contentState: b.content_state, coverMediaKey: cover, mediaKeys, createdAt: now, publishedAt: null, postId: null };
  return write(ctx, async (r, out) => {
    await r.articles.insert(row);
    out.emit({ type: 'article.created', articleId: row.id, authorId: me, at: now });
    return row;
  });
}

/** What the post shows of the article (`article` of `tweet.fields`). */
function postArticle(a: ArticleRow): PostArticle {
  const text = plainText(a.contentState as ContentState);
  const out: PostArticle = { title: a.title, preview_text: [...text.replace(/\s+/g, ' ').trim()].slice(0, PREVIEW_CHARS).join(''), plain_text: text };
  if (a.coverMediaKey) out.cover_media = a.coverMediaKey;
  if (a.mediaKeys.length) out.media_entities = a.mediaKeys;
  return out;
}

/** Publishes a draft of `me`'s as a post; answers the post's id. */
export async function publishArticle(ctx: PostingContext, me: string, id: string): Promise<string | Refusal> {
  const article = await ctx.repos.articles.byId(id);
  if (ownerOnlyVerdict({ userId: me }, article?.authorId) !== 'ok') return refuse('article-missing', id);
  const published = () => conflict(`The article [${id}] has already been published.`);
  if (article!.postId) throw published();
  const post = await createPost(
    ctx,
    me,
    { text: articleUrl(id) },
    {
      extras: { article: postArticle(article!) },
      async within(r, postId) {
        if (!(await r.articles.markPublished(id, postId, ctx.clock.now()))) throw published();
      },
    },
  );
  return post.id;
}
