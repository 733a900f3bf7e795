import type { Finding } from '../model.js';
import {
  checkFor,
  errorOutcome,
  safeExcerpt,
  secFinding,
  splitRoute,
  type ProbeOutcome,
  type SecContext,
} from './security-context.js';
import type { SecResponse } from './security-http.js';
import { SAFE_METHODS } from '../spec/probes.js';

/** Why the credentialed requests were not sent to a write route. */
export function writeNote(method: string): string {
  return `not sent: ${method} writes, and an accepted request would change the target's data; add allowWrites: true to the route to send the credentials`;
}

const refused = (s: number): boolean => s === 401 || s === 403;

/** A body for routes that take one: an empty JSON object, so the request reaches the auth layer. */
function bodyFor(method: string): { body?: string; headers?: Record<string, string> } {
  return method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS'
    ? {}
    : { body: '{}', headers: { 'content-type': 'application/json' } };
}

/**
 * The auth probe. Every protected route must refuse an anonymous request
 * (401/403: a 2xx/3xx is a bypass, a 5xx an auth layer that fails open or
 * crashes); with credentials it must be accepted; a role-restricted route must
 * refuse every other role with 403. Anonymous requests are sent without
 * target.headers, since those usually carry a token. A route whose method
 * writes (POST, PUT, PATCH, DELETE) gets only the anonymous request — which a
 * correct service refuses, so nothing is written — unless the spec sets
 * `allowWrites: true` on it: an accepted request with credentials would create
 * or change data on every check.
 */
export async function probeAuth(ctx: SecContext): Promise<ProbeOutcome> {
  const routes = ctx.cfg.protected.map((r) =>
    typeof r === 'string'
      ? { route: r, roles: undefined, allowWrites: false }
      : { route: r.route, roles: r.roles.length ? r.roles : undefined, allowWrites: r.allowWrites },
  );
  const noCredentials: string[] = [];
  const roles = Object.keys(ctx.cfg.credentials);
  const findings: Finding[] = [];
  const rows: { route: string; who: string; status: number | string }[] = [];
  let answered = 0;
  let total = 0;
  for (const { route, roles: allowed, allowWrites } of routes) {
    const { method, path } = splitRoute(route);
    // A write accepted with credentials would create or change data on every check: only when the spec opts in.
    const credentialed = SAFE_METHODS.includes(method) || allowWrites;
    const send = (headers: Record<string, string>, anonymous: boolean): Promise<SecResponse> => {
      const b = bodyFor(method);
      return ctx.client.send({
        method,
        url: ctx.client.url(path),
        headers: { ...b.headers, ...headers },
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(anonymous ? { anonymous: true } : {}),
      });
    };
    ctx.progress(`auth: ${route} anonymously`);
    const anon = await send({}, true);
    total++;
    rows.push({ route, who: 'anonymous', status: anon.status ?? anon.error ?? 'error' });
    if (anon.status !== undefined) {
      answered++;
      if (!refused(anon.status)) {
        const kind = anon.status >= 500 ? 'error' : anon.status >= 400 ? 'unexpected' : 'allowed';
        findings.push(
          secFinding({
            rule: `auth.anonymous-${kind}`,
            severity: kind === 'allowed' ? 'critical' : kind === 'error' ? 'high' : 'medium',
            title:
              kind === 'allowed'
                ? `${route} is reachable without authentication (${anon.status})`
                : `${route} answers an anonymous request with ${anon.status} instead of 401/403`,
            method,
            path,
            evidence: `anonymous ${route} → ${anon.status}; ${safeExcerpt(anon.body, 160)}`,
            remediation:
              kind === 'unexpected'
                ? 'Check authentication first, before routing and validation, and answer 401; or fix the route in probes.security.protected.'
                : 'Check authentication before the handler runs, and answer 401 when it is missing or invalid.',
          }),
        );
      }
    }
    if (!credentialed && roles.length) {
      noCredentials.push(route);
      rows.push({ route, who: roles.join(', '), status: writeNote(method) });
      continue;
    }
    for (const role of roles) {
      const creds = ctx.cfg.credentials[role] ?? {};
      const mayUse = allowed === undefined || allowed.includes(role);
      ctx.progress(`auth: ${route} as ${role}`);
      const res = await send(creds, false);
      total++;
      rows.push({ route, who: role, status: res.status ?? res.error ?? 'error' });
      if (res.status === undefined) continue;
      answered++;
      if (mayUse && refused(res.status)) {
        findings.push(
          secFinding({
            rule: 'auth.credentials-refused',
            severity: 'medium',
            title: `${route} refuses the ${role} credentials (${res.status})`,
            method,
            path,
            discriminator: role,
            evidence: `${role} ${route} → ${res.status}`,
            remediation: `Check the ${role} credentials in probes.security.credentials, or the route's authorization rules.`,
          }),
        );
      } else if (!mayUse && res.status !== 403) {
        findings.push(
          secFinding({
            rule: 'auth.role-not-enforced',
            severity: res.status < 400 ? 'critical' : 'medium',
            title: `${route} is restricted to ${(allowed ?? []).join(', ')} but answers ${role} with ${res.status} (expected 403)`,
            method,
            path,
            discriminator: role,
            evidence: `${role} ${route} → ${res.status}`,
            remediation: 'Check the caller role on this route and answer 403 to every role not allowed.',
          }),
        );
      }
    }
  }
  if (total > 0 && answered === 0) {
    const first = rows[0];
    return errorOutcome('security.auth', `no protected route answered (${first?.route}: ${first?.status})`);
  }
  return {
    check: checkFor(
      'security.auth',
      findings,
      `${routes.length} protected route(s) refuse anonymous requests${roles.length ? ` and honour ${roles.length} role(s)` : ''}${noCredentials.length ? `; credentials not sent (writes, no allowWrites): ${noCredentials.join(', ')}` : ''}`,
    ),
    findings,
    metrics: [
      { name: 'security.auth.routes', value: routes.length, unit: 'count' },
      { name: 'security.auth.failures', value: findings.length, unit: 'count' },
    ],
    data: { auth: rows },
  };
}
