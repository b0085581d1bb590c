/**
 * `explain --format text`: aligned plain text for a terminal. Colour (ANSI) only when asked for, so output piped to a
 * file or another program is plain.
 */
import { Severity } from '../rules/types';
import type { ExplainedArgv, ExplainedContainer, ExplainedPod, TimelineLane, TimelinePhase } from './types';
import { AdmissionOutcome, PullPolicyOrigin } from './types';

/** Options of `formatExplainText`. */
export interface FormatExplainTextOptions {
  /**
   * Use ANSI colours (bold headings, red errors, yellow warnings, dim shadowed entries).
   *
   * @default false
   */
  readonly colour?: boolean;
}

interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s };
const ANSI: Style = {
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  red: (s) => `\u001b[31m${s}\u001b[39m`,
  yellow: (s) => `\u001b[33m${s}\u001b[39m`,
};

const LABEL_WIDTH = 20;

function map(m: Readonly<Record<string, string>>): string {
  const entries = Object.entries(m);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(' ');
}

function argvText(a: ExplainedArgv): string {
  return a.expanded.map((s) => (s === '' || /\s|"/.test(s) ? JSON.stringify(s) : s)).join(' ');
}

function subjectOf(pod: ExplainedPod): string {
  const name = pod.namespace !== undefined ? `${pod.namespace}/${pod.name}` : pod.name;
  return `${pod.kind} ${name === '' ? '(unnamed)' : name}`;
}

class Lines {
  public readonly out: string[] = [];
  constructor(private readonly style: Style) {}
  public field(indent: number, label: string, value: string): void {
    const pad = ' '.repeat(indent);
    const [first, ...rest] = value.split('\n');
    this.out.push(`${pad}${label.padEnd(LABEL_WIDTH)}${first}`.trimEnd());
    for (const r of rest) this.out.push(`${pad}${' '.repeat(LABEL_WIDTH)}${r}`.trimEnd());
  }
  public line(indent: number, text: string): void {
    this.out.push(`${' '.repeat(indent)}${text}`.trimEnd());
  }
  public heading(indent: number, text: string): void {
    this.line(indent, this.style.bold(text));
  }
}

function finding(style: Style, f: { severity: Severity; rule: string; message: string }): string {
  const sev = f.severity === Severity.ERROR ? style.red(f.severity) : style.yellow(f.severity);
  return `${sev} ${f.rule}: ${f.message}`;
}

function container(l: Lines, style: Style, c: ExplainedContainer): void {
  l.out.push('');
  l.heading(2, `${c.kind} ${c.name}  (${c.field})`);
  const img = c.image;
  const parts = img.valid
    ? [
        `domain ${img.domain === '' ? '(none)' : img.domain}`,
        `path ${img.path}`,
        img.tag !== undefined ? `tag ${img.tag}` : 'no tag',
        ...(img.digest !== undefined ? [`digest ${img.digest}`] : []),
      ].join(', ')
    : `does not parse with ${img.grammar}: the kubelet fails the container with InvalidImageName`;
  l.field(4, 'image', `${img.reference === '' ? '(none)' : img.reference}\n${parts}`);
  l.field(
    4,
    'pull policy',
    `${img.pullPolicy} (${img.pullPolicyOrigin === PullPolicyOrigin.WRITTEN ? 'written' : 'defaulted'}): ${img.pullPolicyReason}`,
  );
  l.field(4, 'command', c.command ? argvText(c.command) : '(image ENTRYPOINT)');
  l.field(4, 'args', c.args ? argvText(c.args) : '(image CMD)');
  l.field(4, 'requests', map(c.requests));
  if (c.envFrom.length > 0) {
    l.field(
      4,
      'envFrom',
      c.envFrom
        .map((s) => {
          const prefix = s.prefix !== '' ? ` (prefix ${s.prefix})` : '';
          const names =
            s.names === undefined ? `keys unknown at synth: every key of ${s.kind} ${s.name} becomes a variable` : s.names.join(', ') || 'no keys';
          return `${s.source}${prefix}${s.optional ? ', optional' : ''}: ${names}`;
        })
        .join('\n'),
    );
  }
  const size = c.envSize;
  l.field(
    4,
    'environment',
    `${c.env.length} variables, ${size.bytes} bytes; service links ${size.serviceLinkBytes} of ${size.limitBytes} bytes` +
      (size.overLimit ? style.yellow(' (over the limit)') : ''),
  );
  if (c.env.length > 0) {
    const nameWidth = Math.min(40, Math.max(4, ...c.env.map((v) => v.name.length))) + 2;
    const sourceWidth =
      Math.min(48, Math.max(6, ...c.env.map((v) => v.source.length), ...c.env.flatMap((v) => v.shadowed.map((s) => s.source.length)))) + 2;
    l.line(6, style.dim(`${'NAME'.padEnd(nameWidth)}${'SOURCE'.padEnd(sourceWidth)}VALUE`));
    for (const v of c.env) {
      const depends = v.dependsOn.length > 0 ? style.yellow(`  (unless ${v.dependsOn.join(' or ')} sets it)`) : '';
      l.line(6, `${v.name.padEnd(nameWidth)}${v.source.padEnd(sourceWidth)}${v.value}${depends}`);
      for (const s of v.shadowed) l.line(6, style.dim(`${'  shadowed'.padEnd(nameWidth)}${s.source.padEnd(sourceWidth)}${s.value}`));
    }
  }
  if (c.findings.length > 0) l.field(4, 'findings', c.findings.map((f) => finding(style, f)).join('\n'));
  if (c.notes.length > 0) l.field(4, 'notes', c.notes.join('\n'));
}

function seconds(n: number): string {
  return `${n}`;
}

function lane(l: Lines, lane: TimelineLane, width: number): void {
  const items: Array<{ at: number; order: number; text: string }> = [];
  for (const s of lane.spans) {
    const range = s.startSeconds === s.endSeconds ? `${seconds(s.startSeconds)}` : `${seconds(s.startSeconds)}–${seconds(s.endSeconds)}`;
    const worst =
      s.worstCaseEndSeconds === null ? ', may never end' : s.worstCaseEndSeconds !== undefined ? `, may run until ${s.worstCaseEndSeconds}` : '';
    items.push({ at: s.startSeconds, order: 1, text: `${range} ${s.label}${s.cut ? ' (cut)' : ''}${worst}` });
  }
  for (const m of lane.marks) items.push({ at: m.atSeconds, order: m.kind === 'created' || m.kind === 'SIGTERM' ? 0 : 2, text: m.label });
  items.sort((a, b) => a.at - b.at || a.order - b.order);
  l.line(6, `${lane.container.padEnd(width)}${items.map((i) => i.text).join(' · ')}`);
}

function phase(l: Lines, p: TimelinePhase, title: string): void {
  l.line(4, `${title}: t = 0 when ${p.zero}`);
  const width = Math.max(0, ...p.lanes.map((x) => x.container.length)) + 2;
  for (const x of p.lanes) lane(l, x, width);
}

/** Formats explained pods as aligned text (one block per pod). */
export function formatExplainText(pods: readonly ExplainedPod[], options: FormatExplainTextOptions = {}): string {
  const style = options.colour === true ? ANSI : PLAIN;
  const blocks: string[] = [];
  for (const pod of pods) {
    const l = new Lines(style);
    l.heading(0, `${subjectOf(pod)}  (Kubernetes ${pod.kubernetesVersion}${pod.template ? ', pod template' : ''})`);
    const h = pod.hostname;
    l.field(2, 'hostname', `${h.value} (${h.source})${h.fqdn !== undefined ? `\nFQDN ${h.fqdn}` : ''}${h.note !== undefined ? `\n${h.note}` : ''}`);
    l.field(
      2,
      'service links',
      pod.serviceLinks ? 'on: Services of the namespace inject variables' : 'off: only default/kubernetes injects variables',
    );
    const rc = pod.runtimeClass;
    if (rc) {
      const admission =
        rc.admission === AdmissionOutcome.REJECTED
          ? style.red(`rejected: ${rc.rejection ?? ''}`)
          : rc.admission === AdmissionOutcome.UNKNOWN
            ? 'admission unknown (the cluster RuntimeClasses are not known)'
            : 'admitted';
      l.field(2, 'runtime class', `${rc.name}: handler ${rc.handler ?? '(unknown)'}, overhead ${map(rc.overhead)}, ${admission}`);
    }
    l.field(2, 'node selector', map(pod.scheduling.nodeSelector));
    l.field(2, 'tolerations', pod.scheduling.tolerations.length === 0 ? 'none' : pod.scheduling.tolerations.map((t) => JSON.stringify(t)).join('\n'));
    l.field(
      2,
      'effective requests',
      `${map(pod.scheduling.effectiveRequests)}${rc && Object.keys(rc.overhead).length > 0 ? ' (with the overhead)' : ''}`,
    );
    const t = pod.timeline;
    l.field(2, 'grace period', `${t.gracePeriodSeconds} s (${t.gracePeriodWritten ? 'written' : 'defaulted by the API server'})`);
    if (pod.findings.length > 0) l.field(2, 'findings', pod.findings.map((f) => finding(style, f)).join('\n'));
    for (const c of pod.containers) container(l, style, c);
    l.out.push('');
    l.heading(2, 'timeline (seconds)');
    phase(l, t.start, 'start');
    phase(l, t.stop, `stop (grace period ${t.gracePeriodSeconds} s)`);
    if (t.events.length > 0) {
      l.line(4, 'events if a hook fails');
      const w = Math.max(...t.events.map((e) => e.reason.length)) + 2;
      const cw = Math.max(...t.events.map((e) => e.container.length)) + 2;
      for (const e of t.events) l.line(6, `${e.reason.padEnd(w)}${e.container.padEnd(cw)}${e.when}`);
      for (const cmd of t.eventCommands) l.line(6, `$ ${cmd}`);
    }
    const notes = [...t.start.notes, ...t.stop.notes];
    if (notes.length > 0) {
      l.line(4, 'notes');
      for (const n of notes) l.line(6, style.dim(`- ${n}`));
    }
    if (pod.problems.length > 0) {
      l.out.push('');
      l.heading(2, 'problems');
      for (const p of pod.problems) l.line(4, `${p.field === '' ? '' : `${p.field}: `}${p.message}`);
    }
    blocks.push(l.out.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
