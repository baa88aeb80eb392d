import { meter } from '../../limits/metering.js';
import { NEWS_DEFAULT_AGE_MS, NEWS_MAX_AGE_MS } from '../../pipeline/news.js';
import { newsFields, presentStory } from '../../pipeline/present-news.js';
import { notFound } from '../../pipeline/problems.js';
import { operation } from '../operation.js';
import { storiesWithin } from './news-stories.js';

/**
 * GET /2/news/:id — one story by the id search gave it: as search's default window (168 hours) shows it, else as
 * the widest (720 hours) does; a story whose posts are gone or too old is a Not Found Problem.
 */
export const getNews = operation({
  operationId: 'getNews',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('resource'),
  async handle(req) {
    const id = String(req.params.id);
    const find = async (ms: number) => (await storiesWithin(req, ms)).find((s) => s.id === id);
    const story = (await find(NEWS_DEFAULT_AGE_MS)) ?? (await find(NEWS_MAX_AGE_MS));
    if (!story) return { body: { errors: [notFound('news', 'id', id)] } };
    return { body: { data: presentStory(story, newsFields(req.params)) } };
  },
});
