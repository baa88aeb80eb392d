import { readerFor, type Store } from '../db/connect.js';
import { Users } from './users.js';
import { Posts } from './posts.js';
import { Edges } from './edges.js';
import { Attachments } from './attachments.js';
import { Apps } from './apps.js';

export interface Repos {
  users: Users;
  posts: Posts;
  edges: Edges;
  attachments: Attachments;
  apps: Apps;
}

export function createRepos(store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'read' | 'close'>>): Repos {
  const { db, dialect } = store;
  const read = readerFor(store);
  return {
    users: new Users(db, dialect, read),
    posts: new Posts(db, dialect, read),
    edges: new Edges(db, dialect),
    attachments: new Attachments(db, dialect),
    apps: new Apps(db, dialect),
  };
}

export type { Users, Posts, Edges, Attachments, Apps };
