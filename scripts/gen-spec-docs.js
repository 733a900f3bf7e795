// Writes docs/spec.md, the golive.yaml reference, from schema/golive.schema.json
// (itself generated from src/spec/schema.ts: npm run schema:write).
//   node scripts/gen-spec-docs.js          write docs/spec.md
//   node scripts/gen-spec-docs.js --check  exit 1 when docs/spec.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = join(root, 'schema/golive.schema.json');
const docFile = join(root, 'docs/spec.md');

const INTRO = `# golive.yaml reference

\`golive.yaml\` is a release's readiness plan, written before anything is measured: the exit
thresholds, the probes, the AC/DoD criteria and who must sign. \`golive init\` writes a commented
one to start from; \`golive validate\` checks it and reports **every** problem at once, each with
\`file:line:column\` and a hint; \`golive schema\` prints the JSON Schema editors use for completion:

\`\`\`yaml
# yaml-language-server: $schema=./node_modules/golive/schema/golive.schema.json
\`\`\`

The tables below are generated from that schema (\`node scripts/gen-spec-docs.js\`); the schema is
generated from the zod schema in \`src/spec/schema.ts\`, the single source of truth. The threshold
grammar (\`"< 200ms"\`, \`"== 0"\`, \`">= 1000rps"\`) is in [thresholds.md](thresholds.md).

## Environment variables: \`\${VAR}\`

Any string **value** may reference the environment. Mapping keys are never interpolated.

| Written | Becomes |
|---|---|
| \`\${STAGING_TOKEN}\` | the value of \`STAGING_TOKEN\`; when it is not set, the spec is refused (\`GL_SPEC_ENV_UNSET\`, or listed with the other problems) with the line and column of the reference |
| \`\${PORT:-8080}\` | \`PORT\` when set and not empty, otherwise \`8080\` (the default cannot contain \`}\`) |
| \`$\${HOME}\` | the literal text \`\${HOME}\`: \`$\${\` escapes \`\${\` |
| \`\${vu}\`, \`\${iter}\`, \`\${token}\`, \`\${sku}\` | left exactly as written |

Only **UPPER_SNAKE_CASE** names (\`[A-Z_][A-Z0-9_]*\`) are environment references. Every other
\`\${name}\` is kept verbatim, because the load engine fills placeholders such as \`\${vu}\` (virtual
user), \`\${iter}\` (iteration), extracted values (\`\${token}\`) and data columns (\`\${sku}\`) per
request at run time. Interpolation is a single pass: a value taken from the environment is never
scanned again.

## Secrets are redacted

golive redacts **secrets**, not every value that came from the environment: a record must say
what was tested, so the target (\`baseUrl: http://127.0.0.1:\${PORT}\`: its origin and path), the
release and the observed version are always shown. A value is a secret when:

- its variable is **listed** in the top-level \`secrets:\` — **whether or not golive.yaml uses it**:
  the start command and the drill commands get golive's whole environment, and what they print is
  stored (\`.golive/runs/<id>/target.log\`, drill logs). List every variable your service or
  scripts could print that the name rule below misses (\`secrets: [SLACK_WEBHOOK_URL, OPAQUE]\`). A
  listed variable always wins: even when its value is the target URL, it is redacted; or
- its variable is **named like a secret**, whether golive.yaml uses it or not (the target sees it
  too). A name is secret when it contains \`TOKEN\`, \`SECRET\`, \`PASSWORD\`, \`PASSWD\`, \`PASSPHRASE\`,
  \`CREDENTIAL\` or \`AUTHORIZATION\` anywhere (\`PGPASSWORD\`, \`accessToken\`), or has one of the words
  \`PASS\`, \`PW\`, \`PWD\`, \`KEY\`, \`AUTH\`, \`JWT\`, \`COOKIE\`, \`SIG\`, \`SIGNATURE\`, \`CRED\` or \`DSN\` (or its
  plural) as a whole word, between \`_\`, \`-\`, \`.\`, a case change or the ends (\`API_KEY\`, \`ADMIN_PW\`,
  \`DEPLOY_CRED\`, \`DB_DSN\`, \`apiKey\`) — so \`MONKEY\`, \`AUTHOR\`, \`PASSENGER\` and \`SIGNAL\` are not.
  A name whose last word says it is *about* a secret is not one: \`KEY_PATH\`, \`DB_PASSWORD_FILE\`,
  \`AUTH_TIMEOUT_MS\`, \`AUTH_MODE\`, \`AUTH_URL\`, \`OAUTH_TOKEN_URL\` (path, file, dir, socket, mode,
  type, timeout, ttl, ms, seconds, enabled, name, size, count, algorithm, provider, issuer, method,
  scheme, host, port, url, uri, endpoint …); a password inside such a URL is still masked (see
  *credential inside a value* below). \`PWD\` and \`OLDPWD\` alone are the shell's working folders,
  not secrets. A variable that golive.yaml does not use and that only a *weak* word makes secret
  (\`PASS\`, \`KEY\`, \`AUTH\`, \`JWT\`, \`COOKIE\`, \`SIG\`, \`SIGNATURE\`, \`DSN\`) is left alone when its
  value is a plain word or a number (\`FEATURE_PASS=enabled\`, \`API_KEY=2000000\`): masking it
  everywhere would rewrite ordinary output. A name with a *strong* word — \`TOKEN\`, \`SECRET\`,
  \`PASSWORD\`, \`PASSWD\`, \`PASSPHRASE\`, \`CREDENTIAL\`, \`AUTHORIZATION\`, or the whole words \`PW\`,
  \`PWD\`, \`CRED\` — is always secret (\`DB_PASSWORD=correcthorsebatterystaple\`); or
- it is **used as a credential**: in a header (\`target.headers\`, a request's \`headers\`, the
  security probes' \`credentials\`), under a key named like a secret (\`env: { PGPASSWORD: … }\`,
  \`json: { password: … }\`), after \`Bearer \` / \`Basic \` or in a \`Cookie:\`, as the value of a query
  parameter or \`key=value\` named like a secret (\`?access_token=\`, \`?sig=\`, \`--api-key \`,
  \`password=\`), or as the password of a URL (\`postgres://app:\${DB_PW}@db/shop\`); or
- it is a **credential inside a value** from the environment — **any** variable, whether
  golive.yaml uses it or not — or inside \`baseUrl\`: a URL password,
  a secret-named parameter or pair (\`DATABASE_URL=mysql://root@h/db?password=…\`,
  \`DB_CONN="host=db user=app password=…"\`, \`baseUrl: https://h/api?api_key=…\`). Only that part is
  secret: the rest of the URL or DSN is shown (\`https://h/api?api_key=[redacted]\`).

Otherwise a value that is the target's origin, host, port or path is never a secret.

Values shorter than **6 characters** are never secrets: masking every \`200\` or \`abc\` would rewrite
thresholds, counts and ids. \`golive validate\` warns about a listed variable whose value is shorter,
at its entry in \`secrets:\` (the value is shown, so use a longer one). Text the gate reads or golive
writes itself is never rewritten either, even when a secret's value happens to be part of it: run
ids, hashes (\`sha256:…\`), and the threshold names, threshold expressions and criterion ids written
literally in golive.yaml (an environment value cannot be in them, so the same text there is not a
leak; a threshold or id built from \`\${…}\` is redacted as usual).

Each secret is replaced with \`[redacted]\` in every report (Markdown, HTML, JSON, JUnit, SARIF, the
GitHub step summary), on stdout and stderr (error messages included, with \`--debug\` stack traces),
in the store and in every artifact (load and smoke results, command logs, the target's output), in
its raw, JSON-escaped and URL-encoded forms — in object keys as well as values: a request
\`GET /x?k=\${TOKEN}\` is reported as \`GET /x?k=[redacted]\`, and its metrics as
\`load.browse.get_x_k_redacted.*\`. Independently, the values of \`Authorization\`,
\`Proxy-Authorization\`, \`Cookie\`, \`Set-Cookie\`, \`X-Api-Key\` and of any header named like a secret
(\`X-Auth-Token\`, \`X-Client-Secret\`, \`X-Hub-Signature\`) are masked wherever headers are shown or
stored (\`Authorization: Bearer [redacted]\`), even when written literally; other header values
(\`X-Forwarded-Proto: https\`) are shown. So put credentials in the environment, never in the file:
\`Authorization: Bearer \${STAGING_TOKEN}\`.

## Spec hash

Every run records the **spec hash**: \`sha256:\` followed by the hex SHA-256 of the canonical JSON
(keys sorted, no whitespace) of the spec **as written**, before interpolation and before defaults.

- Any edit to what the spec says changes the hash, and sign-offs given on the old hash become stale.
- Reordering keys, reformatting, or editing comments does not change it.
- Rotating a secret in the environment does not change it: \`\${STAGING_TOKEN}\` is hashed as written.

## Durations and numbers are range-checked

Every duration is a number with a unit (\`500ms\`, \`30s\`, \`5m\`, \`1h\`) and is checked where the spec is
read, with the range in the message and the file:line:column (exit 2):

- **Above 0**, except where 0 means "at once" or "none": \`drills.rollback.settle\` and the load fields
  whose range starts at 0 (\`startTime\`, \`think\`, \`gracefulStop\`, a stage's \`duration\`,
  \`abortOnFail.after\`; ranges in [load.md](load.md)) take \`0s\`. A \`0s\` timeout, interval or deadline is refused.
- **At most 2147483647ms** (about 24.8 days), the longest timer Node can set; a longer one would fire
  after 1 ms and every probe would time out at once.
- **Per-field maxima** below that, given in each field's description: \`target.timeout\` (one probe
  request) at most 10m, \`target.start.timeout\` at most 1h, drill deadlines and command timeouts at
  most 24h, drill polls and verify timeouts at most 1h, per-request timeouts of drills at most 10m.

Integers must be whole numbers in their field's range (\`1e99\` is not one), and thresholds must be
finite and fit their metric's unit ([thresholds.md](thresholds.md)).

## Warnings

\`golive validate\` also warns, without failing, about a threshold on a metric no collector in this
version produces (it would fail as "no data"); about a threshold that a collector could feed but
no section of this spec turns on, at the threshold's line:column with the section to add
(\`load.latency.p95\` without \`load:\` → "add a \`load:\` section (docs/load.md)"; \`scan.coverage.lines\`
without \`scan.coverage:\`; \`findings.*\` without \`probes.security:\`, \`scan:\` or \`drills.alerts:\`);
about a criterion with no thresholds, evidence or attest (nothing could show it is met;
\`Non-goal\` rows are exempt); and about a public route of \`probes.security\` whose method writes
without \`allowWrites: true\` (the rate-limit probe skips it; see [probes.md](probes.md#rate-limiting)).

It warns as well about specs the gate can never turn into a GO
([decision-rules.md](decision-rules.md)): a criterion \`evidence:\` ref whose collector this spec does
not turn on, at the ref's line:column with the section to add (\`evidence: [drill.alarm]\` with the
drills commented out → "add a \`drills.alarm:\` section (docs/drills.md)"; the ref is the collector's
name or one of its check ids, such as \`ops.health\`); no criteria, or only \`Non-goal\` rows (at
\`criteria:\`, or 1:1 when the key is missing: \`golive check\` is then never READY); no \`signoff:\`
(at 1:1: \`golive decide\` is then always NO-GO); and two roles of \`signoff.required\` (or one of them
and \`signoff.final\`) with the same owner under \`roles:\` (compared trimmed, case-insensitively), at
\`signoff.required\`, unless \`signoff.allowSamePerson: true\` (one person does not sign two required
roles, so the spec cannot reach GO).
`;

const TOP = '';

function esc(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeOf(s) {
  if (!s || typeof s !== 'object') return 'any';
  if ('const' in s) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (Array.isArray(s.anyOf)) return s.anyOf.map(typeOf).join(' \\| ');
  switch (s.type) {
    case 'array':
      return `list of ${typeOf(s.items)}`;
    case 'object':
      if (s.properties) return 'mapping';
      return `map of ${typeOf(s.propertyNames ?? { type: 'string' })} → ${typeOf(s.additionalProperties)}`;
    case 'string':
      if (s.format === 'uri') return 'URL';
      if (s.pattern === '^\\d+(?:\\.\\d+)?(?:ms|s|m|h)$') return 'duration';
      if (s.pattern === '^\\/') return 'path';
      return 'string';
    default:
      return s.type ?? 'any';
  }
}

function defaultOf(s) {
  return s && 'default' in s ? `\`${esc(JSON.stringify(s.default))}\`` : '';
}

/** One table for an object schema, then a section for each nested object (depth first). */
function section(title, s, out) {
  const required = new Set(s.required ?? []);
  out.push(title === TOP ? '## Top level' : `## \`${title}\``, '');
  if (s.description) out.push(esc(s.description), '');
  out.push('| Key | Type | Required | Default | Description |', '|---|---|---|---|---|');
  const nested = [];
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const path = title === TOP ? key : `${title}.${key}`;
    const isList = prop.type === 'array' && prop.items?.type === 'object' && prop.items.properties;
    const isObject = prop.type === 'object' && prop.properties;
    const link =
      isObject || isList ? ` (see [\`${isList ? `${path}[]` : path}\`](#${anchor(isList ? `${path}[]` : path)}))` : '';
    out.push(
      `| \`${key}\` | ${typeOf(prop)} | ${required.has(key) ? 'yes' : ''} | ${defaultOf(prop)} | ${esc(prop.description ?? prop.items?.description ?? '')}${link} |`,
    );
    if (isObject) nested.push([path, prop]);
    if (isList) nested.push([`${path}[]`, prop.items]);
  }
  out.push('');
  for (const [path, prop] of nested) section(path, prop, out);
}

function anchor(title) {
  // GitHub heading anchors: lower case, spaces to -, punctuation other than - and _ dropped.
  return title
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

export function render(schema) {
  const out = [
    INTRO,
    '<!-- Generated by scripts/gen-spec-docs.js from schema/golive.schema.json. Do not edit below. -->',
    '',
  ];
  section(TOP, schema, out);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
const text = render(schema);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(docFile, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error('docs/spec.md is out of date: run `node scripts/gen-spec-docs.js`');
    process.exit(1);
  }
} else {
  writeFileSync(docFile, text);
  console.log(`wrote ${docFile}`);
}
