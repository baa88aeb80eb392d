import { readerFor, type Store } from '../db/connect.js';
import { Users } from './users.js';
import { Posts } from './posts.js';
import { Edges } from './edges.js';
import { Attachments } from './attachments.js';
import { Apps } from './apps.js';
import { RowCache } from './row-cache.js';

export interface Repos {
  users: Users;
  posts: Posts;
  edges: Edges;
  attachments: Attachments;
  apps: Apps;
}

export interface RepoOptions {
  /** Row cache lifetime for posts and users by id (ms); 0 (default) disables it. */
  cacheMs?: number;
}

export function createRepos(store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'read' | 'close'>>, opts: RepoOptions = {}): Repos {
  const { db, dialect } = store;
  const read = readerFor(store);
  return {
    users: new Users(db, dialect, read, new RowCache(opts.cacheMs ?? 0)),
    posts: new Posts(db, dialect, read, new RowCache(opts.cacheMs ?? 0)),
    edges: new Edges(db, dialect),
    attachments: new Attachments(db, dialect),
    apps: new Apps(db, dialect),
  };
}

export type { Users, Posts, Edges, Attachments, Apps };
