/**
 * Reading Alertmanager webhook notifications (pure). A webhook payload is
 * `{ version: "4", status, receiver, groupLabels, alerts: [{ status, labels,
 * annotations, startsAt, endsAt, fingerprint }] }`; a receiver page of the
 * user's may list many such payloads, or the bare alerts. Whatever the
 * nesting, an object whose `labels[label]` equals the drill id and that has a
 * `status` string tells the state the notification carried.
 */

export type AlertState = 'firing' | 'resolved';

/** States (firing / resolved) the JSON value reports for the alert carrying `label` = `id`. */
export function alertStates(value: unknown, label: string, id: string): Set<AlertState> {
  const out = new Set<AlertState>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const labels = o.labels;
    if (labels && typeof labels === 'object' && (labels as Record<string, unknown>)[label] === id) {
      if (o.status === 'firing' || o.status === 'resolved') out.add(o.status);
    }
    for (const child of Object.values(o)) walk(child, depth + 1);
  };
  walk(value, 0);
  return out;
}

/**
 * States a receiver's page shows: JSON is read as above; any other text counts
 * a line holding the id as firing, and as resolved when the line also says "resolved".
 */
export function statesInBody(body: string, label: string, id: string): Set<AlertState> {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return alertStates(JSON.parse(trimmed), label, id);
    } catch {
      // not JSON after all: read it as text
    }
  }
  // JSON lines (one payload per line), as webhook loggers often write.
  const out = new Set<AlertState>();
  for (const line of body.split('\n')) {
    if (!line.includes(id)) continue;
    const t = line.trim();
    if (t.startsWith('{')) {
      try {
        for (const s of alertStates(JSON.parse(t), label, id)) out.add(s);
        continue;
      } catch {
        // plain text line
      }
    }
    out.add(/\bresolved\b/i.test(line) ? 'resolved' : 'firing');
  }
  return out;
}
