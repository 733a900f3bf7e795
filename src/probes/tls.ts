import { checkServerIdentity, connect, rootCertificates, type PeerCertificate } from 'node:tls';
import type { Finding } from '../model.js';
import { checkFor, errorOutcome, secFinding, type ProbeOutcome, type SecContext } from './security-context.js';

/** What the TLS handshake showed about the target's certificate. */
export interface TlsFacts {
  protocol: string;
  /** True when the chain verifies against the system CAs (plus probes.security.tls.ca). */
  trusted: boolean;
  /** Why the chain does not verify, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  trustError?: string;
  hostnameMatches: boolean;
  hostnameError?: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Whole days until the certificate expires (negative once expired). */
  daysLeft: number;
}

/** One TLS handshake, verifying nothing silently: the facts are reported, the caller judges. */
export function tlsHandshake(
  host: string,
  port: number,
  timeoutMs: number,
  ca: string | undefined,
  now: Date,
): Promise<TlsFacts> {
  return new Promise((resolve, reject) => {
    const servername = /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
    const socket = connect({
      host,
      port,
      ...(servername ? { servername } : {}),
      rejectUnauthorized: false,
      ...(ca ? { ca: [...rootCertificates, ca] } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(e.code === 'ECONNREFUSED' ? 'connection refused' : (e.code ?? e.message)));
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate() as PeerCertificate;
      const identity = cert && Object.keys(cert).length ? checkServerIdentity(host, cert) : new Error('no certificate');
      const validTo = new Date(cert.valid_to);
      const facts: TlsFacts = {
        protocol: socket.getProtocol() ?? 'unknown',
        trusted: socket.authorized,
        ...(socket.authorizationError ? { trustError: String(socket.authorizationError) } : {}),
        hostnameMatches: identity === undefined,
        ...(identity ? { hostnameError: identity.message } : {}),
        subject: name(cert.subject),
        issuer: name(cert.issuer),
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: validTo.toISOString(),
        daysLeft: Math.floor((validTo.getTime() - now.getTime()) / 86_400_000),
      };
      socket.end();
      resolve(facts);
    });
  });
}

function name(n: PeerCertificate['subject'] | undefined): string {
  if (!n) return '';
  return Object.entries(n)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** The tls probe (https targets): expiry, protocol version, chain trust, hostname match. */
export async function probeTls(ctx: SecContext, now: Date): Promise<ProbeOutcome> {
  const url = new URL(ctx.baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  ctx.progress(`tls: handshake with ${host}:${port}`);
  let facts: TlsFacts;
  try {
    facts = await tlsHandshake(host, port, ctx.client.timeoutMs, ctx.ca, now);
  } catch (e) {
    return errorOutcome('security.tls', `TLS handshake with ${host}:${port} failed: ${(e as Error).message}`);
  }
  ctx.tls = facts;
  const findings: Finding[] = [];
  const at = { method: 'TLS', path: '/' };
  const certLine = `subject ${facts.subject}; issuer ${facts.issuer}; valid to ${facts.validTo}`;
  if (facts.daysLeft < 0) {
    findings.push(
      secFinding({
        ...at,
        rule: 'tls.cert-expired',
        severity: 'critical',
        title: `TLS certificate expired ${-facts.daysLeft} days ago`,
        evidence: certLine,
        remediation: 'Renew the certificate (and automate renewal, e.g. with ACME).',
      }),
    );
  } else if (facts.daysLeft < ctx.cfg.tls.minDays) {
    findings.push(
      secFinding({
        ...at,
        rule: 'tls.cert-expiring',
        severity: facts.daysLeft < 7 ? 'high' : 'medium',
        title: `TLS certificate expires in ${facts.daysLeft} days (minimum ${ctx.cfg.tls.minDays})`,
        evidence: certLine,
        remediation: 'Renew the certificate before launch; automate renewal.',
      }),
    );
  }
  if (!facts.trusted) {
    findings.push(
      secFinding({
        ...at,
        rule: 'tls.cert-untrusted',
        severity: 'high',
        title: `TLS certificate chain is not trusted (${facts.trustError ?? 'unknown reason'})`,
        evidence: certLine,
        remediation:
          'Serve a certificate from a public CA with its full chain; for a private staging CA, name it in probes.security.tls.ca (or --ca).',
      }),
    );
  }
  if (!facts.hostnameMatches) {
    findings.push(
      secFinding({
        ...at,
        rule: 'tls.hostname-mismatch',
        severity: 'high',
        title: `TLS certificate does not match ${host}`,
        evidence: facts.hostnameError ?? certLine,
        remediation: 'Issue the certificate for the host name clients use (subjectAltName).',
      }),
    );
  }
  if (!['TLSv1.2', 'TLSv1.3'].includes(facts.protocol)) {
    findings.push(
      secFinding({
        ...at,
        rule: 'tls.old-protocol',
        severity: 'high',
        title: `TLS protocol ${facts.protocol} is deprecated`,
        evidence: `negotiated ${facts.protocol}`,
        remediation: 'Allow only TLSv1.2 and TLSv1.3 (Mozilla intermediate configuration).',
      }),
    );
  }
  return {
    check: checkFor(
      'security.tls',
      findings,
      `${facts.protocol}, certificate trusted, matches ${host}, ${facts.daysLeft} days left`,
    ),
    findings,
    metrics: [
      { name: 'security.tls.days_left', value: facts.daysLeft, unit: 'count' },
      { name: 'security.tls.trusted', value: facts.trusted ? 1 : 0, unit: 'bool' },
    ],
    data: { tls: facts },
  };
}
