import { describe, expect, it } from 'vitest';
import { newPostRow, type MediaRow, type PlaceRow, type PostRow, type UserRow } from '../data/rows.js';
import { compileMatcher, sampleBucket, type MatchDoc } from './matcher.js';
import { parse } from './parser.js';
import type { MatchMode } from './tokens.js';
import { mulberry32 } from '../util/random.js';

function user(over: Partial<UserRow> = {}): UserRow {
  return {
    id: '100', username: 'Alice', name: 'Alice Liddell', description: 'Writer of café reviews', location: 'Paris, France',
    url: null, profileImageUrl: '', profileBannerUrl: null, protected: false, verified: false, verifiedType: 'none',
    suspended: false, createdAt: 0, pinnedPostId: null, mostRecentPostId: null, followersCount: 50, followingCount: 10,
    tweetCount: 200, listedCount: 3, likeCount: 0, entities: null, withheld: null, ...over,
  };
}

function post(over: Partial<PostRow> = {}): PostRow {
  return { ...newPostRow(over.id ?? '1500000000000000001', over.authorId ?? '100', 0), lang: 'en', ...over };
}

function doc(over: Partial<PostRow> = {}, extra: Partial<MatchDoc> = {}): MatchDoc {
  return { post: post(over), author: user(), ...extra };
}

function ast(q: string) {
  const r = parse(q);
  if (r.errors.length > 0) throw new Error(r.errors.join(' | '));
  return r.ast!;
}

function m(q: string, mode: MatchMode = 'stream') {
  return compileMatcher(ast(q), { mode });
}

const both = (q: string, d: MatchDoc): [boolean, boolean] => [m(q, 'search')(d), m(q, 'stream')(d)];

const PARIS: PlaceRow = {
  id: 'p1', fullName: 'Paris, Île-de-France', name: 'Paris', country: 'France', countryCode: 'FR', placeType: 'city',
  bbox: [2.33, 48.84, 2.36, 48.87], containedWithin: null,
};

const photo = (k: string): MediaRow => ({
  mediaKey: k, id: k, ownerId: '100', type: 'photo', url: null, previewImageUrl: null, width: 1, height: 1,
  durationMs: null, altText: null, variants: null, viewCount: 0, createdAt: 0,
});
const video = (k: string): MediaRow => ({ ...photo(k), type: 'video' });

describe('text leaves', () => {
  const d = doc({ text: 'The Coca-Cola truck at 12:30, Café del Mar 🐱 snake_case' });
  it('keyword: token match, case-insensitive, not substring', () => {
    expect(m('truck')(d)).toBe(true);
    expect(m('TRUCK')(d)).toBe(true);
    expect(m('tru')(d)).toBe(false);
    expect(m('bus')(d)).toBe(false);
  });
  it('keyword with punctuation = consecutive tokens', () => {
    expect(m('coca-cola')(d)).toBe(true);
    expect(m('cola-coca')(d)).toBe(false);
    expect(m('12:30')(d)).toBe(true);
    expect(m('snake_case')(d)).toBe(true);
    expect(m('case_snake')(d)).toBe(false);
    expect(m('!!!')(d)).toBe(false);
  });
  it('emoji', () => {
    expect(m('🐱')(d)).toBe(true);
    expect(m('🐶')(d)).toBe(false);
  });
  it('phrase: consecutive, in order', () => {
    expect(m('"coca cola truck"')(d)).toBe(true);
    expect(m('"truck coca"')(d)).toBe(false);
    expect(m('"the truck"')(d)).toBe(false);
  });
  it('accents: search insensitive, stream sensitive', () => {
    expect(both('cafe', d)).toEqual([true, false]);
    expect(both('café', d)).toEqual([true, true]);
    expect(both('"cafe del mar"', d)).toEqual([true, false]);
    const plain = doc({ text: 'best cafe' });
    expect(both('café', plain)).toEqual([true, false]);
  });
  it('noteText is the matched text of long posts', () => {
    const long = doc({ text: 'short…', noteText: 'short and then the hidden word' });
    expect(m('hidden')(long)).toBe(true);
  });
  it('hashtag / cashtag / mention: entity arrays, case-insensitive, exact', () => {
    const e = doc({
      text: '#Roost $TSLA @Bob',
      entities: {
        hashtags: [{ start: 0, end: 6, tag: 'Roost' }],
        cashtags: [{ start: 7, end: 12, tag: 'TSLA' }],
        mentions: [{ start: 13, end: 17, username: 'Bob', id: '7' }],
      },
    });
    expect(m('#roost')(e)).toBe(true);
    expect(m('#roo')(e)).toBe(false);
    expect(m('#roosting')(e)).toBe(false);
    expect(m('$tsla')(e)).toBe(true);
    expect(m('$aapl')(e)).toBe(false);
    expect(m('@BOB')(e)).toBe(true);
    expect(m('@alice')(e)).toBe(false);
    // text alone does not make an entity
    expect(m('#tsla')(doc({ text: '#tsla' }))).toBe(false);
  });
});

describe('proximity', () => {
  const d = doc({ text: 'red big fluffy happy dog' });
  it('in order within N words', () => {
    expect(m('"red dog"~3')(d)).toBe(true);
    expect(m('"red dog"~2')(d)).toBe(false);
    expect(m('"big dog"~2')(d)).toBe(true);
    expect(m('"big dog"~1')(d)).toBe(false);
  });
  it('reversed order costs two', () => {
    expect(m('"dog happy"~2')(d)).toBe(true);
    expect(m('"dog happy"~1')(d)).toBe(false);
    expect(m('"dog fluffy"~3')(d)).toBe(true);
    expect(m('"dog fluffy"~2')(d)).toBe(false);
  });
  it('adjacent words match; repeated tokens need distinct positions', () => {
    expect(m('"happy dog"~1')(d)).toBe(true);
    expect(m('"dog dog"~3')(d)).toBe(false);
    expect(m('"dog dog"~3')(doc({ text: 'dog and dog' }))).toBe(true);
  });
});

describe('retweets and quotes: search vs stream', () => {
  const orig = post({ id: '10', authorId: '200', text: 'hello world #news', entities: { hashtags: [{ start: 12, end: 17, tag: 'news' }] } });
  const rt = doc(
    { id: '11', text: 'RT @Bob: hello world #news', repostedPostId: '10', entities: { hashtags: [{ start: 21, end: 26, tag: 'news' }] } },
    { reposted: orig, repostedAuthor: user({ id: '200', username: 'Bob' }) },
  );
  it('keyword/phrase/hashtag never match retweets in search; do in stream', () => {
    expect(both('hello', rt)).toEqual([false, true]);
    expect(both('"hello world"', rt)).toEqual([false, true]);
    expect(both('#news', rt)).toEqual([false, true]);
    expect(both('@bob', rt)).toEqual([false, false]); // no mention entity stored on this row
  });
  it('per-leaf: non-text operators still match retweets in search', () => {
    expect(both('from:alice', rt)).toEqual([true, true]);
    expect(both('from:alice OR hello', rt)).toEqual([true, true]);
    expect(both('from:alice -hello', rt)).toEqual([true, false]);
  });
  it('quoted content: stream only', () => {
    const quoted = post({ id: '20', authorId: '200', text: 'original about kittens', entities: { hashtags: [{ start: 0, end: 3, tag: 'cats' }] } });
    const q = doc({ id: '21', text: 'look at this', quotedPostId: '20' }, { quoted: quoted });
    expect(both('kittens', q)).toEqual([false, true]);
    expect(both('#cats', q)).toEqual([false, true]);
    expect(both('look', q)).toEqual([true, true]);
    // a phrase does not span the quoting text and the quoted text
    expect(both('"this original"', q)).toEqual([false, false]);
  });
});

describe('user operators', () => {
  const reply = doc(
    { inReplyToPostId: '5', inReplyToUserId: '300' },
    { repliedToUser: user({ id: '300', username: 'Carol' }), authorAffiliations: new Set(['xorg', '900']) },
  );
  it('from: by username (case-insensitive) or id', () => {
    expect(m('from:ALICE')(reply)).toBe(true);
    expect(m('from:100')(reply)).toBe(true);
    expect(m('from:bob')(reply)).toBe(false);
    expect(m('from:101')(reply)).toBe(false);
  });
  it('to:', () => {
    expect(m('to:carol')(reply)).toBe(true);
    expect(m('to:300')(reply)).toBe(true);
    expect(m('to:alice')(reply)).toBe(false);
    expect(m('to:carol')(doc())).toBe(false);
  });
  it('retweets_of:', () => {
    const rt = doc({ repostedPostId: '9' }, { reposted: post({ id: '9', authorId: '200' }), repostedAuthor: user({ id: '200', username: 'Bob' }) });
    expect(m('retweets_of:bob')(rt)).toBe(true);
    expect(m('retweets_of:200')(rt)).toBe(true);
    expect(m('retweets_of:carol')(rt)).toBe(false);
    expect(m('retweets_of:bob')(doc())).toBe(false);
  });
  it('affiliates', () => {
    expect(m('from_affiliate_of:xorg')(reply)).toBe(true);
    expect(m('from_affiliate_of:900')(reply)).toBe(true);
    expect(m('from_affiliate_of:yorg')(reply)).toBe(false);
    expect(m('to_affiliate_of:xorg')(reply)).toBe(false);
  });
});

describe('id operators', () => {
  const d = doc({ conversationId: '77', inReplyToPostId: '78', repostedPostId: '79', quotedPostId: '80' }, { authorListIds: new Set(['555']) });
  it.each([
    ['conversation_id:77', 'conversation_id:76'],
    ['in_reply_to_tweet_id:78', 'in_reply_to_tweet_id:77'],
    ['retweets_of_tweet_id:79', 'retweets_of_tweet_id:78'],
    ['quotes_of_tweet_id:80', 'quotes_of_tweet_id:79'],
    ['list:555', 'list:556'],
  ])('%s / %s', (yes, no) => {
    expect(m(yes, 'search')(d)).toBe(true);
    expect(m(no, 'search')(d)).toBe(false);
  });
  it('list: without membership data does not match', () => expect(m('list:555', 'search')(doc())).toBe(false));
});

describe('url operators', () => {
  const d = doc({
    text: 'see https://t.co/abc',
    entities: {
      urls: [{
        start: 4, end: 20, url: 'https://t.co/abc', expanded_url: 'https://www.Example.com/news/coca-cola', display_url: 'example.com/news',
        ...({ title: 'Big News Today', description: 'All about it' } as object),
      }],
    },
  });
  it('url: tokenized on url and expanded_url', () => {
    expect(m('url:example.com')(d)).toBe(true);
    expect(m('url:"t.co/abc"')(d)).toBe(true);
    expect(m('url:"coca-cola"')(d)).toBe(true);
    expect(m('url:exam')(d)).toBe(false);
    expect(m('url:example.org')(d)).toBe(false);
  });
  it('url_contains: substring', () => {
    expect(m('url_contains:ample.com/ne')(d)).toBe(true);
    expect(m('url_contains:sample')(d)).toBe(false);
  });
  it('url_title / url_description when present', () => {
    expect(m('url_title:news')(d)).toBe(true);
    expect(m('url_title:old')(d)).toBe(false);
    expect(m('url_description:about')(d)).toBe(true);
    expect(m('url_description:news')(d)).toBe(false);
  });
});

describe('bio and source', () => {
  const d = doc({ source: 'Roost Web App' });
  it('bio:', () => {
    expect(both('bio:cafe', d)).toEqual([true, false]);
    expect(m('bio:writer')(d)).toBe(true);
    expect(m('bio:reader')(d)).toBe(false);
  });
  it('bio_name: / bio_location:', () => {
    expect(m('bio_name:liddell')(d)).toBe(true);
    expect(m('bio_name:smith')(d)).toBe(false);
    expect(m('bio_location:france')(d)).toBe(true);
    expect(m('bio_location:spain')(d)).toBe(false);
    expect(m('bio_location:paris')({ ...d, author: user({ location: null }) })).toBe(false);
  });
  it('source:', () => {
    expect(m('source:"roost web app"')(d)).toBe(true);
    expect(m('source:roost')(d)).toBe(false);
  });
});

describe('annotations', () => {
  const d = doc(
    { entities: { annotations: [{ start: 0, end: 5, probability: 0.9, type: 'Place', normalized_text: 'Zürich' }] } },
    { contextAnnotations: [{ domainId: '47', entityId: '10026364281', entityName: 'Google' }] },
  );
  it('context:', () => {
    expect(m('context:47.10026364281')(d)).toBe(true);
    expect(m('context:47.*')(d)).toBe(true);
    expect(m('context:46.*')(d)).toBe(false);
    expect(m('context:47.1')(d)).toBe(false);
    expect(m('context:47.*')(doc())).toBe(false);
  });
  it('entity:', () => {
    expect(both('entity:"zurich"', d)).toEqual([true, false]);
    expect(m('entity:"Zürich"')(d)).toBe(true);
    expect(m('entity:"google"')(d)).toBe(true);
    expect(m('entity:"Bern"')(d)).toBe(false);
    expect(m('entity:"Zürich"')(doc())).toBe(false);
  });
  it('embedding: never; embedding_threshold: modifier', () => {
    expect(m('embedding:"anything"')(d)).toBe(false);
    expect(m('embedding_threshold:0.5')(d)).toBe(true);
  });
});

describe('geo operators', () => {
  const tagged = doc({ placeId: 'p1' }, { place: PARIS });
  const pointed = doc({ geoCoordinates: [2.3522, 48.8566] });
  it('place:', () => {
    expect(m('place:paris')(tagged)).toBe(true);
    expect(m('place:p1')(tagged)).toBe(true);
    expect(both('place:"ile-de-france"', tagged)).toEqual([true, false]);
    expect(m('place:london')(tagged)).toBe(false);
    expect(m('place:paris')(doc())).toBe(false);
  });
  it('place_country:', () => {
    expect(m('place_country:fr')(tagged)).toBe(true);
    expect(m('place_country:DE')(tagged)).toBe(false);
  });
  it('point_radius: point (great-circle) or whole place inside', () => {
    expect(m('point_radius:[2.35 48.85 2km]')(pointed)).toBe(true);
    expect(m('point_radius:[2.30 48.85 2km]')(pointed)).toBe(false); // ~3.8 km away
    expect(m('point_radius:[2.30 48.85 3mi]')(pointed)).toBe(true);
    expect(m('point_radius:[2.345 48.855 5km]')(tagged)).toBe(true);
    expect(m('point_radius:[2.345 48.855 1km]')(tagged)).toBe(false); // place sticks out
  });
  it('bounding_box:', () => {
    expect(m('bounding_box:[2.3 48.8 2.4 48.9]')(pointed)).toBe(true);
    expect(m('bounding_box:[2.3 48.8 2.4 48.9]')(tagged)).toBe(true);
    expect(m('bounding_box:[2.34 48.8 2.4 48.9]')(tagged)).toBe(false);
    expect(m('bounding_box:[2.4 48.8 2.5 48.9]')(pointed)).toBe(false);
  });
  it('has:geo', () => {
    expect(m('has:geo')(pointed)).toBe(true);
    expect(m('has:geo')(tagged)).toBe(true);
    expect(m('has:geo')(doc())).toBe(false);
  });
  it('geo operators never match retweets', () => {
    const rt = doc({ placeId: 'p1', geoCoordinates: [2.3522, 48.8566], repostedPostId: '3' }, { place: PARIS });
    for (const q of ['place:paris', 'place_country:fr', 'point_radius:[2.35 48.85 2km]', 'bounding_box:[2.3 48.8 2.4 48.9]', 'has:geo']) {
      expect(both(q, rt), q).toEqual([false, false]);
    }
  });
});

describe('is: and has:', () => {
  it('is:', () => {
    expect(m('is:retweet')(doc({ repostedPostId: '1' }))).toBe(true);
    expect(m('is:retweet')(doc())).toBe(false);
    expect(m('is:reply')(doc({ inReplyToPostId: '1' }))).toBe(true);
    expect(m('is:reply')(doc())).toBe(false);
    expect(m('is:quote')(doc({ quotedPostId: '1' }))).toBe(true);
    expect(m('is:quote')(doc())).toBe(false);
    expect(m('is:verified')({ ...doc(), author: user({ verified: true }) })).toBe(true);
    expect(m('is:verified')(doc())).toBe(false);
    expect(m('x -is:nullcast')(doc({ text: 'x' }))).toBe(true);
    expect(m('x -is:nullcast')(doc({ text: 'x', extras: { nullcast: true } }))).toBe(false);
  });
  it('has: entities', () => {
    const e = doc({
      entities: {
        hashtags: [{ start: 0, end: 1, tag: 'a' }], cashtags: [{ start: 0, end: 1, tag: 'A' }],
        mentions: [{ start: 0, end: 1, username: 'a' }], urls: [{ start: 0, end: 1, url: 'u', expanded_url: 'u', display_url: 'u' }],
      },
    });
    for (const h of ['hashtags', 'cashtags', 'mentions', 'links']) {
      expect(m(`has:${h}`)(e), h).toBe(true);
      expect(m(`has:${h}`)(doc()), h).toBe(false);
    }
  });
  it('has: media', () => {
    const withPhoto = doc({ mediaKeys: ['3_1'] }, { media: [photo('3_1')] });
    const withVideo = doc({ mediaKeys: ['7_1'] }, { media: [video('7_1')] });
    expect(m('has:media')(withPhoto)).toBe(true);
    expect(m('has:media')(doc())).toBe(false);
    expect(m('has:images')(withPhoto)).toBe(true);
    expect(m('has:images')(withVideo)).toBe(false);
    expect(m('has:video_link')(withVideo)).toBe(true);
    expect(m('has:videos')(withPhoto)).toBe(false);
    expect(m('has:video_link')(doc({ mediaKeys: ['8_1'] }, { media: [{ ...photo('8_1'), type: 'animated_gif' }] }))).toBe(false);
  });
  it('lang:', () => {
    expect(m('lang:en')(doc())).toBe(true);
    expect(m('lang:fr')(doc())).toBe(false);
    expect(m('lang:zh-CN')(doc({ lang: 'zh-CN' }))).toBe(true);
  });
});

describe('counts', () => {
  const d = { ...doc({ likeCount: 10, replyCount: 2, retweetCount: 5 }), author: user({ followersCount: 50, tweetCount: 200, followingCount: 10, listedCount: 3 }) };
  it.each([
    ['followers_count:50', 'followers_count:51'],
    ['followers_count:40..50', 'followers_count:51..60'],
    ['tweets_count:100..300', 'tweets_count:0..199'],
    ['following_count:10..10', 'following_count:11'],
    ['listed_count:3', 'listed_count:4..9'],
    ['min_followers:50', 'min_followers:51'],
    ['min_likes:10', 'min_likes:11'],
    ['min_replies:2', 'min_replies:3'],
    ['min_reposts:5', 'min_reposts:6'],
  ])('%s / %s', (yes, no) => {
    expect(m(yes)(d)).toBe(true);
    expect(m(no)(d)).toBe(false);
  });
});

describe('sample:', () => {
  it('bucket is the documented MINSTD step', () => {
    const id = '1500000000000000001';
    const x = BigInt(id) % 2147483647n;
    expect(sampleBucket(id)).toBe(Number(((x * 48271n) % 2147483647n) % 100n));
    expect(sampleBucket('0')).toBe(0);
  });
  it('deterministic and about N%', () => {
    const rule = m('x sample:10');
    const d = doc({ text: 'x' });
    expect(rule(d)).toBe(rule(d));
    expect(m('x sample:10')(doc({ id: d.post.id, text: 'x' }))).toBe(rule(d));
    let kept = 0;
    const n = 20000;
    let id = 1_500_000_000_000_000_000n;
    for (let i = 0; i < n; i++) {
      id += 4_194_304n * BigInt(1 + ((i * 7919) % 1000)) + BigInt(i % 4096); // snowflake-like spacing
      if (rule(doc({ id: id.toString(), text: 'x' }))) kept++;
    }
    expect(kept / n).toBeGreaterThan(0.085);
    expect(kept / n).toBeLessThan(0.115);
    // consecutive ids too
    let kept2 = 0;
    for (let i = 0; i < n; i++) if (rule(doc({ id: String(1000000 + i), text: 'x' }))) kept2++;
    expect(Math.abs(kept2 / n - 0.1)).toBeLessThan(0.015);
  });
  it('sample:100 keeps all; lower N keeps a subset of higher N', () => {
    for (let i = 0; i < 500; i++) {
      const d = doc({ id: String(987654321 + i * 13), text: 'x' });
      expect(m('x sample:100')(d)).toBe(true);
      if (m('x sample:20')(d)) expect(m('x sample:50')(d)).toBe(true);
    }
  });
});

describe('boolean structure', () => {
  const d = doc({ text: 'cat and dog' });
  it('AND / OR / NOT / grouping / precedence', () => {
    expect(m('cat dog')(d)).toBe(true);
    expect(m('cat bird')(d)).toBe(false);
    expect(m('bird OR dog')(d)).toBe(true);
    expect(m('bird OR fish')(d)).toBe(false);
    expect(m('cat -dog')(d)).toBe(false);
    expect(m('cat -bird')(d)).toBe(true);
    expect(m('bird OR fish cat')(d)).toBe(false); // bird OR (fish cat)
    expect(m('(bird OR fish) cat')(d)).toBe(false);
    expect(m('(bird OR dog) cat')(d)).toBe(true);
    expect(m('bird fish OR cat dog')(d)).toBe(true);
    expect(m('cat (bird OR (fish OR dog)) -(eel OR cow)')(d)).toBe(true);
    expect(m('cat (bird OR (fish OR dog)) -(eel OR dog)')(d)).toBe(false);
    expect(m('a b c d OR e f g OR cat')(d)).toBe(true);
  });
});

describe('property: compositional', () => {
  const r = mulberry32(42);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const WORDS = ['cat', 'dog', 'café', 'cafe', 'bird', 'red'];
  const USERS = [user({ id: '1', username: 'ann' }), user({ id: '2', username: 'ben', verified: true, followersCount: 500 })];
  const docs: MatchDoc[] = [];
  for (let i = 0; i < 120; i++) {
    const words = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(WORDS));
    const tags = r() < 0.3 ? [{ start: 0, end: 1, tag: pick(['News', 'cats']) }] : [];
    const isRt = r() < 0.2;
    const author = pick(USERS);
    docs.push({
      post: post({
        id: String(1_000_000 + i * 7919),
        authorId: author.id,
        text: words.join(' '),
        entities: tags.length ? { hashtags: tags } : null,
        repostedPostId: isRt ? '5' : null,
        inReplyToPostId: r() < 0.3 ? '6' : null,
        lang: pick(['en', 'fr']),
        likeCount: Math.floor(r() * 20),
      }),
      author,
    });
  }
  const ATOMS = [
    ...WORDS, '"cat dog"', '"red cat"', '#news', '#cats', 'from:ann', 'from:2', 'is:retweet', 'is:reply', 'is:verified',
    'lang:fr', 'min_likes:10', 'followers_count:100', '(cat OR dog)', '(bird red)',
  ];
  for (const mode of ['search', 'stream'] as const) {
    it(`${mode}: a OR b, a b, x -a`, () => {
      for (let k = 0; k < 150; k++) {
        const a = pick(ATOMS);
        const b = pick(ATOMS);
        const x = pick(WORDS);
        const ma = m(a, mode);
        const mb = m(b, mode);
        const mx = m(x, mode);
        const or = m(`${a} OR ${b}`, mode);
        const and = m(`${a} ${b}`, mode);
        const neg = a.startsWith('(') ? null : m(`${x} -${a}`, mode);
        for (const d of docs) {
          expect(or(d), `${a} OR ${b}`).toBe(ma(d) || mb(d));
          expect(and(d), `${a} ${b}`).toBe(ma(d) && mb(d));
          if (neg) expect(neg(d), `${x} -${a}`).toBe(mx(d) && !ma(d));
        }
      }
    });
  }
});
