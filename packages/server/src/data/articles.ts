import type { Kysely, Selectable } from 'kysely';
import type { ArticlesTable, Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { json, num, numOrNull, str, strOrNull } from './rows.js';

/** An article: a draft until `postId` names the post that published it. `contentState` is the draft as sent. */
export interface ArticleRow {
  id: string;
  authorId: string;
  title: string;
  contentState: unknown;
  coverMediaKey: string | null;
  /** Media keys the content's media entities name, in order. */
  mediaKeys: string[];
  createdAt: number;
  publishedAt: number | null;
  postId: string | null;
}

function fromDb(r: Selectable<ArticlesTable>): ArticleRow {
  return {
    id: str(r.id),
    authorId: str(r.author_id),
    title: r.title,
    contentState: json(r.content_state),
    coverMediaKey: r.cover_media_key,
    mediaKeys: json<string[]>(r.media_keys) ?? [],
    createdAt: num(r.created_at),
    publishedAt: numOrNull(r.published_at),
    postId: strOrNull(r.post_id),
  };
}

export class Articles {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async byId(id: string): Promise<ArticleRow | undefined> {
    const r = await this.db.selectFrom('articles').selectAll().where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r && fromDb(r);
  }

  async insert(a: ArticleRow): Promise<void> {
    await this.db
      .insertInto('articles')
      .values({
        id: this.d.idParam(a.id),
        author_id: this.d.idParam(a.authorId),
        title: a.title,
        content_state: JSON.stringify(a.contentState),
        cover_media_key: a.coverMediaKey,
        media_keys: JSON.stringify(a.mediaKeys),
        created_at: a.createdAt,
        published_at: a.publishedAt,
        post_id: a.postId === null ? null : this.d.idParam(a.postId),
      })
      .execute();
  }

  /** Records the post that published a draft; false when it was published already (by a concurrent request too). */
  async markPublished(id: string, postId: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('articles')
      .set({ post_id: this.d.idParam(postId), published_at: at })
      .where('id', '=', this.d.idParam(id))
      .where('post_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
