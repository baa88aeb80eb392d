import type { Store } from '../db/connect.js';
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

export function createRepos(store: Store): Repos {
  const { db, dialect } = store;
  return {
    users: new Users(db, dialect),
    posts: new Posts(db, dialect),
    edges: new Edges(db, dialect),
    attachments: new Attachments(db, dialect),
    apps: new Apps(db, dialect),
  };
}

export type { Users, Posts, Edges, Attachments, Apps };
