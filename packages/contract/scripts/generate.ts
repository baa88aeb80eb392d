/**
 * Reads X's OpenAPI spec from ../shared/x-api/openapi.facts.json and writes typed operation descriptors,
 * field/expansion vocabularies and the component schemas into src/generated/. The output is committed so a
 * fresh clone builds without ../shared; `contract.test.ts` proves regenerating gives no diff.
 *
 *   tsx packages/contract/scripts/generate.ts [--check]
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paramRenames, fieldValueRenames, expansionValueRenames, classicOnlyFieldValues, invert } from '../src/renames.js';
import type { OperationDescriptor, ParamDescriptor, ScalarConstraint, SecurityRequirement, HttpMethod } from '../src/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const specPath = resolve(here, '../../../../shared/x-api/openapi.facts.json');
export const outDir = resolve(here, '../src/generated');

/**
 * Field values X accepts that the spec's enums leave out: `list.fields=owner_id` (FACTS §2.2 lists it with the List
 * fields; twitter-api-v2 and tweepy offer it, and X answers it), while 2.167 only has it as the `owner_id` expansion.
 */
const EXTRA_FIELD_VALUES: Readonly<Record<string, readonly string[]>> = { 'list.fields': ['owner_id'] };

type Json = any;

export function generate(spec: Json): Record<string, string> {
  const P = spec.components.parameters as Record<string, Json>;
  const S = spec.components.schemas as Record<string, Json>;
  const deref = (x: Json): Json => {
    let cur = x;
    for (let i = 0; cur && cur.$ref && i < 10; i++) {
      const [, , kind, name] = String(cur.$ref).split('/');
      cur = kind === 'parameters' ? P[name] : S[name];
    }
    return cur;
  };
  const refName = (x: Json): string | undefined => (x && x.$ref ? String(x.$ref).split('/').pop() : undefined);

  const scalar = (raw: Json): ScalarConstraint => {
    const s = deref(raw) ?? {};
    const out: ScalarConstraint = {};
    if (s.type && s.type !== 'array' && s.type !== 'object') out.type = s.type;
    if (s.enum) out.enum = [...s.enum];
    if (s.pattern) out.pattern = s.pattern;
    if (s.minimum !== undefined) out.minimum = s.minimum;
    if (s.maximum !== undefined) out.maximum = s.maximum;
    if (s.minLength !== undefined) out.minLength = s.minLength;
    if (s.maxLength !== undefined) out.maxLength = s.maxLength;
    if (s.format) out.format = s.format;
    if (s.default !== undefined && typeof s.default !== 'object') out.default = s.default;
    return out;
  };

  // Field vocabularies across both name generations (FACTS §2.4): every *.fields / expansions parameter accepts
  // the union, so a client of either generation is never refused a name the other generation has.
  const toClassicField = fieldValueRenames;
  const toModernField = invert(fieldValueRenames);
  const toClassicExp = expansionValueRenames;
  const toModernExp = invert(expansionValueRenames);

  const operations: OperationDescriptor[] = [];
  const paramEnumUnion = (name: string, values: readonly string[]): string[] => {
    const set = new Set(values);
    const isExp = name === 'expansions';
    for (const v of values) {
      const c = (isExp ? toClassicExp : toClassicField)[v];
      const m = (isExp ? toModernExp : toModernField)[v];
      if (c) set.add(c);
      if (m) set.add(m);
    }
    return [...set].sort();
  };

  // Every list parameter with enumerated values, of every operation of the spec.
  const enumParams: { name: string; values: string[] }[] = [];
  for (const item of Object.values(spec.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) {
      for (const p0 of op.parameters ?? []) {
        const p = deref(p0);
        const e = p.schema?.items?.enum;
        if (e) enumParams.push({ name: p.name, values: e });
      }
    }
  }
  // Classic tweet.fields as the spec's classic-era operations (streams) list them, unioned with post.fields.
  const classicPostFields = new Set<string>();
  const modernPostFields = new Set<string>();
  for (const { name, values } of enumParams) {
    if (name === 'tweet.fields') values.forEach((v) => classicPostFields.add(v));
    if (name === 'post.fields') values.forEach((v) => modernPostFields.add(v));
  }
  const allPostFields = paramEnumUnion('post.fields', [...classicPostFields, ...modernPostFields]);
  // Expansion lists are grouped by the object they expand (posts, users); each group accepts every name any
  // operation of the spec lists for it, in both generations.
  const expansionGroup = (e: readonly string[]) =>
    e.includes('author_id') ? 'post' : e.some((v) => v.startsWith('pinned_')) ? 'user' : undefined;
  const groupUnion: Record<string, Set<string>> = { post: new Set(), user: new Set() };
  // Every other *.fields parameter accepts the union of what any operation lists under that name (e.g. the
  // classic user.fields of stream operations carries pinned_tweet_id, which 2.167 lookups dropped).
  const fieldUnion: Record<string, Set<string>> = {};
  for (const { name, values } of enumParams) {
    const g = name === 'expansions' ? expansionGroup(values) : undefined;
    if (g) values.forEach((v) => groupUnion[g].add(v));
    if (name.endsWith('.fields')) values.forEach((v) => (fieldUnion[name] ??= new Set()).add(v));
  }
  for (const extra of [classicOnlyFieldValues, EXTRA_FIELD_VALUES]) {
    for (const [name, values] of Object.entries(extra)) for (const v of values) (fieldUnion[name] ??= new Set()).add(v);
  }

  const methods = ['get', 'post', 'put', 'delete', 'patch'];
  for (const [path, item] of Object.entries(spec.paths) as [string, Json][]) {
    for (const m of methods) {
      const op = item[m];
      if (!op) continue;
      const params: ParamDescriptor[] = [];
      for (const p0 of op.parameters ?? []) {
        const p = deref(p0);
        const schema = deref(p.schema) ?? {};
        const d: ParamDescriptor = { name: p.name, in: p.in, required: !!p.required };
        if (schema.type === 'array') {
          d.array = true;
          d.items = scalar(schema.items);
          if (schema.minItems !== undefined) d.minItems = schema.minItems;
          if (schema.maxItems !== undefined) d.maxItems = schema.maxItems;
          if (d.items.enum && (p.name.endsWith('.fields') || p.name === 'expansions')) {
            const g = p.name === 'expansions' ? expansionGroup(d.items.enum) : undefined;
            d.items.enum =
              p.name === 'post.fields' || p.name === 'tweet.fields'
                ? allPostFields
                : paramEnumUnion(p.name, g ? [...groupUnion[g]] : [...(fieldUnion[p.name] ?? d.items.enum)]);
          }
        } else {
          Object.assign(d, scalar(schema));
        }
        params.push(d);
        const alias = paramRenames[p.name];
        if (alias) params.push({ ...d, name: alias, aliasOf: p.name, items: d.items ? { ...d.items } : undefined });
      }
      const security: SecurityRequirement[] = (op.security ?? []).map((req: Json) => {
        const [scheme, scopes] = Object.entries(req)[0] as [string, string[]];
        return { scheme: scheme as SecurityRequirement['scheme'], scopes: [...scopes] };
      });
      let body: OperationDescriptor['body'];
      if (op.requestBody) {
        const content = op.requestBody.content ?? {};
        const first = Object.values(content)[0] as Json | undefined;
        body = {
          required: !!op.requestBody.required,
          contentTypes: Object.keys(content),
          ...(first?.schema ? { schema: refName(first.schema) } : {}),
        };
      }
      const responses: Record<string, string | null> = {};
      for (const [code, r] of Object.entries(op.responses ?? {}) as [string, Json][]) {
        if (code === 'default') continue;
        const json = r.content?.['application/json'];
        responses[code] = json ? (refName(json.schema) ?? null) : null;
      }
      operations.push({
        operationId: op.operationId,
        method: m.toUpperCase() as HttpMethod,
        path,
        tag: op.tags?.[0] ?? 'General',
        streaming: !!op['x-twitter-streaming'],
        security,
        params,
        ...(body ? { body } : {}),
        responses,
      });
    }
  }
  operations.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1));

  const header = '// Generated by packages/contract/scripts/generate.ts from X\'s OpenAPI spec. Do not edit.\n';
  const opsTs =
    header +
    "import type { OperationDescriptor } from '../types.js';\n\n" +
    `export const specVersion = ${JSON.stringify(spec.info.version)};\n\n` +
    'export const operations: readonly OperationDescriptor[] = ' +
    JSON.stringify(operations, null, 1) +
    ';\n\n' +
    'export type OperationId =\n' +
    operations.map((o) => `  | ${JSON.stringify(o.operationId)}`).join('\n') +
    ';\n';

  // Field and expansion vocabularies, per parameter name, across the spec.
  const vocab: Record<string, Set<string>> = {};
  for (const o of operations) {
    for (const p of o.params) {
      if (!(p.name.endsWith('.fields') || p.name === 'expansions') || !p.items?.enum) continue;
      vocab[p.name] ??= new Set();
      p.items.enum.forEach((v) => vocab[p.name].add(v));
    }
  }
  const fieldsTs =
    header +
    '\n' +
    Object.keys(vocab)
      .sort()
      .map((k) => {
        const ident = k.replace(/\.fields$/, 'Fields').replace(/[._](\w)/g, (_, c: string) => c.toUpperCase());
        const vals = [...vocab[k]].sort();
        return `export const ${ident} = ${JSON.stringify(vals)} as const;\nexport type ${ident[0].toUpperCase() + ident.slice(1)}Value = (typeof ${ident})[number];\n`;
      })
      .join('\n');

  // Only the schemas reachable from operations, so the committed output stays as small as it can.
  const reachable = new Set<string>();
  const visit = (x: Json) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    if (typeof x.$ref === 'string' && x.$ref.startsWith('#/components/schemas/')) {
      const n = x.$ref.split('/').pop()!;
      if (!reachable.has(n)) {
        reachable.add(n);
        visit(S[n]);
      }
    }
    for (const v of Object.values(x)) visit(v);
  };
  for (const item of Object.values(spec.paths)) visit(item);
  const schemas: Record<string, Json> = {};
  for (const n of [...reachable].sort()) schemas[n] = S[n];
  const schemasTs =
    header + '/* eslint-disable */\nexport const schemas: Record<string, unknown> = ' + JSON.stringify(schemas) + ';\n';

  const secTs =
    header +
    `export const oauth2Scopes = ${JSON.stringify(Object.keys(spec.components.securitySchemes.OAuth2UserToken.flows.authorizationCode.scopes).sort())} as const;\n` +
    'export type OAuth2Scope = (typeof oauth2Scopes)[number];\n';

  const bodiesTs = header + bodyTypes(operations, S);

  return {
    'operations.ts': opsTs,
    'bodies.ts': bodiesTs,
    'fields.ts': fieldsTs,
    'schemas.ts': schemasTs,
    'security.ts': secTs,
  };
}

/**
 * TypeScript types of the JSON request bodies, in the wire's snake_case, and `RequestBodies` mapping each
 * operation with a JSON body to its type: the server's handlers receive their body typed by operationId after the
 * route layer validated it against the same schema.
 */
function bodyTypes(operations: readonly OperationDescriptor[], S: Record<string, Json>): string {
  const named = new Set<string>();
  const pending: string[] = [];
  const need = (n: string) => {
    if (!named.has(n)) {
      named.add(n);
      pending.push(n);
    }
  };
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
  const ts = (s: Json, indent: string): string => {
    if (!s || typeof s !== 'object') return 'unknown';
    if (typeof s.$ref === 'string') {
      const n = String(s.$ref).split('/').pop()!;
      need(n);
      return n + (s.nullable ? ' | null' : '');
    }
    // `anyOf: [{required: [a]}, {required: [b]}]` next to `properties` only says which members must be there
    // (a DM needs text or attachments): the type is the object's.
    const alts: Json[] | undefined = (s.anyOf ?? s.oneOf)?.every((a: Json) => a && Object.keys(a).every((k) => k === 'required')) ? undefined : (s.anyOf ?? s.oneOf);
    let t: string;
    if (alts) t = alts.map((a) => ts(a, indent)).join(' | ');
    else if (s.allOf) t = s.allOf.map((a: Json) => ts(a, indent)).join(' & ');
    else if (s.enum) t = s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
    else if (s.type === 'string') t = 'string';
    else if (s.type === 'integer' || s.type === 'number') t = 'number';
    else if (s.type === 'boolean') t = 'boolean';
    else if (s.type === 'array') t = `Array<${ts(s.items, indent)}>`;
    else if (s.type === 'object' || s.properties) {
      const inner = indent + '  ';
      const req = new Set<string>(s.required ?? []);
      const lines = Object.entries((s.properties ?? {}) as Record<string, Json>).map(
        ([k, v]) => `${inner}${key(k)}${req.has(k) ? '' : '?'}: ${ts(v, inner)};`,
      );
      if (s.additionalProperties && typeof s.additionalProperties === 'object') lines.push(`${inner}[key: string]: ${ts(s.additionalProperties, inner)};`);
      else if (s.additionalProperties !== false && !s.properties) lines.push(`${inner}[key: string]: unknown;`);
      t = lines.length ? `{\n${lines.join('\n')}\n${indent}}` : 'Record<string, never>';
    } else t = 'unknown';
    return s.nullable ? `${t} | null` : t;
  };
  const withBody = operations.filter((o) => o.body?.schema && o.body.contentTypes.includes('application/json'));
  for (const o of withBody) need(o.body!.schema!);
  const decls: string[] = [];
  while (pending.length) {
    const n = pending.shift()!;
    decls.push(`  type ${n} = ${ts(S[n], '  ')};`);
  }
  decls.sort();
  return (
    '/* eslint-disable */\n' +
    '/** JSON request bodies as the wire spells them (snake_case). */\n' +
    `export declare namespace Wire {\n${decls.join('\n')}\n}\n\n` +
    '/** The JSON body type of each operation that takes one. */\n' +
    `export interface RequestBodies {\n${withBody.map((o) => `  ${o.operationId}: Wire.${o.body!.schema};`).join('\n')}\n}\n`
  );
}

export function readSpec(): Json {
  return JSON.parse(readFileSync(specPath, 'utf8'));
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (!existsSync(specPath)) {
    console.error(`spec not found at ${specPath}`);
    process.exit(1);
  }
  const files = generate(readSpec());
  mkdirSync(outDir, { recursive: true });
  let changed = 0;
  for (const [name, text] of Object.entries(files)) {
    const target = join(outDir, name);
    const before = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (before !== text) {
      changed++;
      if (!process.argv.includes('--check')) writeFileSync(target, text);
    }
  }
  console.log(`${changed} file(s) ${process.argv.includes('--check') ? 'differ' : 'written'}`);
  if (process.argv.includes('--check') && changed) process.exit(1);
}
