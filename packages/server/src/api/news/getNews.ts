import { meter } from '../../limits/metering.js';
import { NEWS_MAX_AGE_MS } from '../../pipeline/news.js';
import { newsFields, presentStory } from '../../pipeline/present-news.js';
import { notFound } from '../../pipeline/problems.js';
import { operation } from '../operation.js';
import { storiesWithin } from './news-stories.js';

/**
 * GET /2/news/:id — one story of the last 720 hours (the widest `max_age_hours`), by the id search gave it; a
 * story whose posts are gone or too old is a Not Found Problem.
 */
export const getNews = operation({
  operationId: 'getNews',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('resource'),
  async handle(req) {
    const id = String(req.params.id);
    const story = (await storiesWithin(req, NEWS_MAX_AGE_MS)).find((s) => s.id === id);
    if (!story) return { body: { errors: [notFound('news', 'id', id)] } };
    return { body: { data: presentStory(story, newsFields(req.params)) } };
  },
});
