/**
 * Developer accounts of the console: sign-up (an e-mail, a password hashed with bcrypt, and the X account that
 * will own the developer's apps and be billed for them), sign-in, and browser sessions. A session is a random
 * token handed to the browser once (as a cookie); only its SHA-256 is stored.
 */
import bcrypt from 'bcryptjs';
import type { Context } from '../context.js';
import type { DeveloperRow } from '../data/console.js';
import type { UserRow } from '../data/rows.js';
import { hashSecret, randomToken } from '../auth/tokens.js';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';

export const SESSION_TTL_MS = 7 * 24 * 3600_000;
/** bcrypt's work factor: about 50–100 ms a hash on a small server. */
export const BCRYPT_ROUNDS = 10;
export const MIN_PASSWORD = 8;
/** bcrypt reads at most 72 bytes; longer passwords would be silently cut. */
export const MAX_PASSWORD_BYTES = 72;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Compared against when the e-mail is unknown, so an answer takes as long whether or not the account exists. */
let decoy: Promise<string> | undefined;

export interface SignedIn {
  developer: DeveloperRow;
  /** The session token, in clear: the cookie's value, never stored. */
  session: string;
}

export const wrongCredentials = () =>
  new ProblemError(401, { title: 'Unauthorized', detail: 'The e-mail or the password is wrong.', type: 'about:blank', status: 401 });

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `must be at least ${MIN_PASSWORD} characters`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return null;
}

const normalEmail = (email: string) => email.trim().toLowerCase();

async function openSession(ctx: Context, developer: DeveloperRow): Promise<SignedIn> {
  const session = randomToken(32);
  const now = ctx.clock.now();
  await ctx.repos.console.purgeExpiredSessions(now);
  await ctx.repos.console.insertSession(hashSecret(session), developer.id, now + SESSION_TTL_MS, now);
  return { developer, session };
}

/**
 * Creates a developer account and signs it in. `makeOwner` creates the X account (checking the username) once the
 * e-mail and password are known to be acceptable.
 */
export async function signUp(ctx: Context, input: { email: string; password: string }, makeOwner: () => Promise<UserRow>): Promise<SignedIn> {
  const email = normalEmail(input.email);
  if (!EMAIL.test(email)) throw InvalidRequest.one('email', [input.email], `The \`email\` body field value [${input.email}] is not an e-mail address`);
  const problem = passwordProblem(input.password);
  if (problem) throw InvalidRequest.one('password', [], `The \`password\` body field ${problem}`);
  if (await ctx.repos.console.developerByEmail(email)) throw emailTaken(email);
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_ROUNDS);
  const owner = await makeOwner();
  const developer: DeveloperRow = { id: ctx.ids.next(), email, passwordHash, userId: owner.id, createdAt: ctx.clock.now() };
  if (!(await ctx.repos.console.insertDeveloper(developer))) throw emailTaken(email);
  return openSession(ctx, developer);
}

const emailTaken = (email: string) =>
  new ProblemError(409, { title: 'Conflict', detail: `A developer account with the e-mail ${email} exists already.`, type: `${PROBLEMS}conflict`, status: 409 });

export async function signIn(ctx: Context, input: { email: string; password: string }): Promise<SignedIn> {
  const developer = await ctx.repos.console.developerByEmail(normalEmail(input.email));
  if (!developer) {
    await bcrypt.compare(input.password, await (decoy ??= bcrypt.hash(randomToken(12), BCRYPT_ROUNDS)));
    throw wrongCredentials();
  }
  if (!(await bcrypt.compare(input.password, developer.passwordHash))) throw wrongCredentials();
  return openSession(ctx, developer);
}

export async function signOut(ctx: Context, session: string): Promise<void> {
  await ctx.repos.console.deleteSession(hashSecret(session));
}

/** The developer a session token belongs to, while it lasts. */
export async function developerOfSession(ctx: Context, session: string): Promise<DeveloperRow | undefined> {
  return ctx.repos.console.sessionDeveloper(hashSecret(session), ctx.clock.now());
}
