/**
 * The person in the OAuth flows: follows an authorization link a client built — https://x.com/…,
 * https://twitter.com/…, https://api.x.com/… as it is: in zero-change mode those hosts are Roost, for this
 * process's fetch as for a browser on the same machine — reads Roost's consent page and submits its form with a
 * username and the first (approving) button, then returns the callback URL Roost redirects to.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeHtml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e[0] !== '#' ? (ENTITIES[e.toLowerCase()] ?? m) : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeHtml(m[1]) : undefined;
};

/** The first form of a page: its action, hidden fields and the first submit button (name and value). */
export function readConsentForm(html: string): { action: string; fields: Record<string, string>; submit: [string, string] } {
  const form = /<form\b[^>]*>[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (!form) throw new Error(`no form on the consent page:\n${html.slice(0, 500)}`);
  const action = attr(/<form\b[^>]*>/i.exec(form)![0], 'action') ?? '';
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    if (attr(tag, 'type') === 'hidden') fields[attr(tag, 'name')!] = attr(tag, 'value') ?? '';
  }
  const button = /<button\b[^>]*type="submit"[^>]*>/i.exec(form)?.[0];
  if (!button) throw new Error('no submit button on the consent page');
  return { action, fields, submit: [attr(button, 'name')!, attr(button, 'value')!] };
}

/**
 * Opens the authorization link on Roost, signs in as `username` and approves; returns the URL Roost redirects the
 * browser to (the client's callback with `code`/`state` or `oauth_token`/`oauth_verifier`).
 */
export async function approve(link: string, username: string): Promise<URL> {
  const page = await fetch(link, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 500)}`);
  const { action, fields, submit } = readConsentForm(html);
  const answer = await fetch(new URL(action, link), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, username, [submit[0]]: submit[1] }).toString(),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answer: ${answer.status} ${(await answer.text()).slice(0, 500)}`);
  return new URL(location);
}
