/**
 * `explain --format svg`: the start and stop timeline of a pod as a self-contained SVG. Deterministic (same input,
 * same bytes), no scripts, no external fonts or references (a generic `sans-serif`), every label escaped; 800 px wide,
 * so it reads in a README or a pull-request comment. Each span, mark and event carries `data-*` attributes with the
 * seconds of the JSON result, so the picture can be checked against it.
 */
import type { ExplainedPod, HookEvent, TimelineLane, TimelinePhase, TimelineSpan } from './types';
import { MarkKind, PhaseName, SpanKind } from './types';

/** Width of the picture in px. */
export const SVG_WIDTH = 800;
/** Left edge of the time axis in px (container names are to its left). */
export const SVG_AXIS_X = 150;
/** Right edge of the time axis in px. */
export const SVG_AXIS_END_X = SVG_WIDTH - 30;

const FONT = 'font-family="sans-serif"';
const BAR_HEIGHT = 16;
const LABEL_ROW_HEIGHT = 13;
const CHAR_WIDTH = 5.6; // 10 px sans-serif, average
const LANE_GAP = 10;

/** Fill colours by span kind. */
const FILL: Readonly<Record<SpanKind, string>> = {
  [SpanKind.WAIT]: '#ffffff',
  [SpanKind.POST_START]: '#4e79a7',
  [SpanKind.PRE_STOP]: '#f28e2b',
  [SpanKind.SHUTDOWN]: '#59a14f',
  [SpanKind.SLACK]: '#e6e6e6',
  [SpanKind.MINIMUM_GRACE]: '#e15759',
};

const LEGEND: ReadonlyArray<[SpanKind, string]> = [
  [SpanKind.POST_START, 'postStart'],
  [SpanKind.PRE_STOP, 'preStop'],
  [SpanKind.SHUTDOWN, 'app shutdown (reserve)'],
  [SpanKind.SLACK, 'grace left'],
  [SpanKind.MINIMUM_GRACE, 'kubelet minimum 2 s'],
  [SpanKind.WAIT, 'waiting'],
];

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A number as written in the SVG: at most 2 decimals, no trailing zeros. */
export function svgNumber(n: number): string {
  const s = n.toFixed(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A step of 1, 2, 5, 10, 15, 30, 60, ... seconds that gives at most 10 ticks up to `end`. */
export function tickStep(end: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]) if (end / step <= 10) return step;
  return Math.ceil(end / 10 / 3600) * 3600;
}

/**
 * The end of the axis for a phase: its last instant (at least `minimum` and 1 s) rounded up to a tick, with room
 * after a hook that may never end.
 */
export function axisEnd(phase: TimelinePhase, minimum = 0): number {
  let end = Math.max(phase.endSeconds, minimum, 1);
  if (phase.lanes.some((l) => l.spans.some((s) => s.worstCaseEndSeconds === null))) end += Math.max(1, end / 5);
  const step = tickStep(end);
  return Math.ceil(end / step) * step;
}

interface Placed {
  readonly x: number;
  readonly text: string;
}

/** Places labels left to right in rows so that none overlaps another (greedy, deterministic). */
function placeLabels(labels: readonly Placed[]): Array<Placed & { row: number }> {
  const rowEnds: number[] = [];
  const out: Array<Placed & { row: number }> = [];
  for (const l of [...labels].sort((a, b) => a.x - b.x)) {
    const width = l.text.length * CHAR_WIDTH + 8;
    const x = Math.min(l.x, SVG_WIDTH - 4 - width);
    let row = rowEnds.findIndex((end) => end <= x);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(0);
    }
    rowEnds[row] = x + width;
    out.push({ x, text: l.text, row });
  }
  return out;
}

function spanLabel(s: TimelineSpan): string {
  const range = s.startSeconds === s.endSeconds ? `${svgNumber(s.startSeconds)} s` : `${svgNumber(s.startSeconds)}–${svgNumber(s.endSeconds)} s`;
  return `${s.label}${s.cut ? ' (cut)' : ''}, ${range}`;
}

interface Panel {
  readonly svg: string[];
  readonly height: number;
}

function lanePanel(
  lane: TimelineLane,
  phase: TimelinePhase,
  y: number,
  scale: (s: number) => number,
  end: number,
  events: readonly HookEvent[],
): Panel {
  const svg: string[] = [];
  const barY = y;
  const c = escapeXml(lane.container);
  svg.push(`<g class="lane" data-phase="${phase.name}" data-container="${c}">`);
  svg.push(
    `<text x="${SVG_AXIS_X - 8}" y="${svgNumber(barY + BAR_HEIGHT - 4)}" text-anchor="end" ${FONT} font-size="11" font-weight="bold">${c}</text>`,
  );
  svg.push(
    `<rect x="${SVG_AXIS_X}" y="${barY}" width="${svgNumber(scale(end) - SVG_AXIS_X)}" height="${BAR_HEIGHT}" fill="#fafafa" stroke="#dddddd"/>`,
  );
  const labels: Placed[] = [];
  const worstCases: string[] = [];
  for (const s of lane.spans) {
    const x = scale(s.startSeconds);
    const w = scale(s.endSeconds) - x;
    const stroke = s.cut ? '#c00000' : s.kind === SpanKind.WAIT ? '#999999' : '#555555';
    const dash = s.kind === SpanKind.WAIT ? ' stroke-dasharray="3 2"' : '';
    const attrs =
      `data-kind="${s.kind}" data-start="${svgNumber(s.startSeconds)}" data-end="${svgNumber(s.endSeconds)}"` +
      (s.bound !== undefined ? ` data-bound="${s.bound}"` : '') +
      (s.cut ? ' data-cut="true"' : '');
    svg.push(
      `<rect class="span" ${attrs} x="${svgNumber(x)}" y="${barY}" width="${svgNumber(w)}" height="${BAR_HEIGHT}" fill="${FILL[s.kind]}" stroke="${stroke}" stroke-width="1"${dash}><title>${escapeXml(spanLabel(s))}</title></rect>`,
    );
    if (w === 0)
      svg.push(`<line x1="${svgNumber(x)}" y1="${barY - 3}" x2="${svgNumber(x)}" y2="${barY + BAR_HEIGHT + 3}" stroke="#c00000" stroke-width="2"/>`);
    if (s.worstCaseEndSeconds !== undefined) {
      const wx = scale(s.endSeconds);
      const we = s.worstCaseEndSeconds === null ? scale(end) : scale(s.worstCaseEndSeconds);
      if (we > wx) {
        const worst = s.worstCaseEndSeconds === null ? 'never' : svgNumber(s.worstCaseEndSeconds);
        worstCases.push(
          `<rect class="worst-case" data-kind="${s.kind}" data-start="${svgNumber(s.endSeconds)}" data-end="${worst}" x="${svgNumber(wx)}" y="${barY + 3}" width="${svgNumber(we - wx)}" height="${BAR_HEIGHT - 6}" fill="none" stroke="#222222" stroke-width="1.5" stroke-dasharray="4 3"/>`,
        );
      }
    }
    labels.push({ x, text: spanLabel(s) });
  }
  svg.push(...worstCases); // over the spans that follow, so the worst case stays visible
  for (const m of lane.marks) {
    const x = scale(m.atSeconds);
    const colour = m.kind === MarkKind.SIGKILL ? '#c00000' : '#222222';
    svg.push(
      `<line class="mark" data-kind="${m.kind}" data-at="${svgNumber(m.atSeconds)}" x1="${svgNumber(x)}" y1="${barY - 4}" x2="${svgNumber(x)}" y2="${barY + BAR_HEIGHT + 4}" stroke="${colour}" stroke-width="2"/>`,
    );
    if (m.kind === MarkKind.SIGKILL || m.kind === MarkKind.SIGTERM || m.kind === MarkKind.RUNNING) labels.push({ x, text: m.label });
  }
  for (const e of events) {
    if (e.latestSeconds === undefined) continue;
    const x = scale(e.latestSeconds);
    svg.push(
      `<path class="event" data-reason="${escapeXml(e.reason)}" data-at="${svgNumber(e.latestSeconds)}" d="M ${svgNumber(x)} ${barY - 2} l -5 -8 l 10 0 z" fill="#c00000"><title>${escapeXml(`${e.reason} (${e.type}): ${e.when}`)}</title></path>`,
    );
  }
  const placed = placeLabels(labels);
  const rows = placed.reduce((n, p) => Math.max(n, p.row + 1), 0);
  for (const p of placed) {
    const ty = barY + BAR_HEIGHT + LABEL_ROW_HEIGHT * (p.row + 1) - 2;
    svg.push(`<text class="label" x="${svgNumber(p.x)}" y="${svgNumber(ty)}" ${FONT} font-size="10" fill="#333333">${escapeXml(p.text)}</text>`);
  }
  svg.push('</g>');
  return { svg, height: BAR_HEIGHT + rows * LABEL_ROW_HEIGHT + LANE_GAP + 8 };
}

function phasePanel(pod: ExplainedPod, phase: TimelinePhase, title: string, top: number): Panel {
  const end = axisEnd(phase, phase.name === PhaseName.STOP ? pod.timeline.gracePeriodSeconds : 0);
  const step = tickStep(end);
  const pps = (SVG_AXIS_END_X - SVG_AXIS_X) / end;
  const scale = (s: number): number => SVG_AXIS_X + s * pps;
  const svg: string[] = [];
  svg.push(
    `<g class="phase" data-phase="${phase.name}" data-axis-x="${SVG_AXIS_X}" data-axis-end-seconds="${svgNumber(end)}" data-px-per-second="${svgNumber(pps)}">`,
  );
  svg.push(`<text x="10" y="${top + 14}" ${FONT} font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  svg.push(`<text x="10" y="${top + 28}" ${FONT} font-size="10" fill="#555555">${escapeXml(`t = 0 s: ${phase.zero}`)}</text>`);
  let y = top + 48;
  const axisTop = y - 6;
  for (const lane of phase.lanes) {
    const events = pod.timeline.events.filter((e) => e.phase === phase.name && e.container === lane.container);
    const p = lanePanel(lane, phase, y, scale, end, events);
    svg.push(...p.svg);
    y += p.height;
  }
  if (phase.name === PhaseName.STOP) {
    const x = scale(pod.timeline.gracePeriodSeconds);
    svg.push(
      `<line class="grace-deadline" data-at="${pod.timeline.gracePeriodSeconds}" x1="${svgNumber(x)}" y1="${axisTop}" x2="${svgNumber(x)}" y2="${y}" stroke="#c00000" stroke-width="1" stroke-dasharray="5 3"/>`,
    );
    svg.push(
      `<text x="${svgNumber(x - 4)}" y="${axisTop - 2}" text-anchor="end" ${FONT} font-size="10" fill="#c00000">${escapeXml(`grace period ${pod.timeline.gracePeriodSeconds} s`)}</text>`,
    );
  }
  svg.push(`<line x1="${SVG_AXIS_X}" y1="${y}" x2="${SVG_AXIS_END_X}" y2="${y}" stroke="#333333" stroke-width="1"/>`);
  for (let t = 0; t <= end; t += step) {
    const x = scale(t);
    svg.push(`<line class="tick" data-at="${t}" x1="${svgNumber(x)}" y1="${y}" x2="${svgNumber(x)}" y2="${y + 4}" stroke="#333333"/>`);
    svg.push(`<text x="${svgNumber(x)}" y="${y + 15}" text-anchor="middle" ${FONT} font-size="10">${t}</text>`);
  }
  svg.push(`<text x="${SVG_AXIS_END_X}" y="${y + 28}" text-anchor="end" ${FONT} font-size="10" fill="#555555">seconds</text>`);
  svg.push('</g>');
  return { svg, height: y + 34 - top };
}

/** The timeline of one explained pod as an SVG document. */
export function formatExplainSvg(pod: ExplainedPod): string {
  const name = pod.namespace !== undefined ? `${pod.namespace}/${pod.name}` : pod.name;
  const title = `${pod.kind} ${name}: start and stop (Kubernetes ${pod.kubernetesVersion})`;
  const body: string[] = [];
  let y = 8;
  body.push(`<text x="10" y="${y + 16}" ${FONT} font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  y += 28;
  const start = phasePanel(pod, pod.timeline.start, 'Start: container created → postStart → Running', y);
  body.push(...start.svg);
  y += start.height + 6;
  const stop = phasePanel(
    pod,
    pod.timeline.stop,
    `Stop: deletion → preStop → SIGTERM → shutdown → SIGKILL (grace period ${pod.timeline.gracePeriodSeconds} s)`,
    y,
  );
  body.push(...stop.svg);
  y += stop.height + 6;
  let x = 10;
  for (const [kind, text] of LEGEND) {
    body.push(`<rect x="${x}" y="${y}" width="12" height="10" fill="${FILL[kind]}" stroke="#555555"/>`);
    body.push(`<text x="${x + 16}" y="${y + 9}" ${FONT} font-size="10">${escapeXml(text)}</text>`);
    x += 16 + text.length * CHAR_WIDTH + 18;
  }
  body.push(`<path d="M ${x + 5} ${y + 10} l -5 -8 l 10 0 z" fill="#c00000"/>`);
  body.push(`<text x="${x + 14}" y="${y + 9}" ${FONT} font-size="10">${escapeXml('latest hook failure event')}</text>`);
  y += 18;
  for (const cmd of pod.timeline.eventCommands.slice(0, 1)) {
    body.push(`<text x="10" y="${y + 10}" font-family="monospace" font-size="10" fill="#333333">${escapeXml(`$ ${cmd}`)}</text>`);
    y += 14;
  }
  const height = y + 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SVG_WIDTH}" height="${height}" viewBox="0 0 ${SVG_WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">\n` +
    `<title>${escapeXml(title)}</title>\n` +
    `<rect x="0" y="0" width="${SVG_WIDTH}" height="${height}" fill="#ffffff"/>\n` +
    `${body.join('\n')}\n</svg>\n`
  );
}
