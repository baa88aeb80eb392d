/**
 * Language of a post as X labels it (BCP-47 with X's legacy codes: `in` Indonesian, `iw` Hebrew), plus X's
 * special labels for posts with no language text: `qht` hashtags only, `qam` mentions only, `zxx` links or
 * media only, `art` emoji/symbols only, `und` undetermined. Detection by franc (trigram statistics), limited to
 * the languages of the `lang:` operator.
 */
import { franc } from 'franc-min';
import type { PostEntities } from '../data/rows.js';

/** ISO 639-3 (franc) → X's language codes. */
const X_CODES: Record<string, string> = {
  amh: 'am', arb: 'ar', hye: 'hy', eus: 'eu', ben: 'bn', bul: 'bg', cat: 'ca', hrv: 'hr', ces: 'cs', dan: 'da',
  nld: 'nl', eng: 'en', ekk: 'et', fin: 'fi', fra: 'fr', kat: 'ka', deu: 'de', ell: 'el', guj: 'gu', heb: 'iw',
  hin: 'hi', hun: 'hu', ind: 'in', ita: 'it', jpn: 'ja', kan: 'kn', kor: 'ko', lvs: 'lv', lit: 'lt', mal: 'ml',
  mar: 'mr', nob: 'no', pes: 'fa', pol: 'pl', por: 'pt', ron: 'ro', rus: 'ru', srp: 'sr', cmn: 'zh', slk: 'sk',
  slv: 'sl', spa: 'es', swe: 'sv', tam: 'ta', tel: 'te', tha: 'th', tur: 'tr', ukr: 'uk', urd: 'ur', vie: 'vi',
};
const CANDIDATES = Object.keys(X_CODES);

/** Scripts that name their language on their own, for texts too short for statistics. */
const SCRIPT_HINTS: [RegExp, string][] = [
  [/[\u3040-\u30ff]/u, 'ja'],
  [/[\uac00-\ud7af]/u, 'ko'],
  [/[\u0e00-\u0e7f]/u, 'th'],
  [/[\u10a0-\u10ff]/u, 'ka'],
  [/[\u0530-\u058f]/u, 'hy'],
  [/[\u0590-\u05ff]/u, 'iw'],
  [/[\u0370-\u03ff]/u, 'el'],
  [/\p{Script=Han}/u, 'zh'],
];

export function detectLang(text: string, entities: PostEntities | null): string {
  const cps = Array.from(text);
  const spans = [
    ...(entities?.urls ?? []).map((e) => ({ ...e, kind: 'url' })),
    ...(entities?.hashtags ?? []).map((e) => ({ ...e, kind: 'hashtag' })),
    ...(entities?.cashtags ?? []).map((e) => ({ ...e, kind: 'hashtag' })),
    ...(entities?.mentions ?? []).map((e) => ({ ...e, kind: 'mention' })),
  ];
  const masked = [...cps];
  for (const s of spans) for (let i = s.start; i < s.end && i < masked.length; i++) masked[i] = ' ';
  const rest = masked.join('').replace(/^RT\s*:?/, ' ');
  if (!/\p{L}/u.test(rest)) {
    if (/\p{Extended_Pictographic}/u.test(rest)) return 'art';
    const kinds = new Set(spans.map((s) => s.kind));
    if (kinds.has('hashtag')) return 'qht';
    if (kinds.has('mention') && !kinds.has('url')) return 'qam';
    if (kinds.has('url')) return 'zxx';
    return 'und';
  }
  const code = franc(rest, { minLength: 10, only: CANDIDATES });
  if (code !== 'und' && X_CODES[code]) return X_CODES[code];
  for (const [re, lang] of SCRIPT_HINTS) if (re.test(rest)) return lang;
  return 'und';
}
